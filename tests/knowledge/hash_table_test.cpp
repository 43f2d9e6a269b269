#include <catch2/catch.hpp>

#include <map>

#include "knowledge/hash_table.hpp"

TEST_CASE("a hash table counts like a map, through growth") {
  knowledge::HashTable table;
  std::map<uint64_t, float> expected;
  uint64_t key = 12345;
  for (int i = 0; i < 50000; ++i) {
    key = key * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t k = key % 20000;  // repeats: counts above 1
    table[k] += 1;
    expected[k] += 1;
  }
  REQUIRE(table.size() == expected.size());
  for (const auto& [k, v] : expected) {
    const float* found = table.Find(k);
    REQUIRE(found != nullptr);
    CHECK(*found == v);
  }
  size_t visited = 0;
  table.ForEach([&](uint64_t k, float v) {
    ++visited;
    CHECK(expected.at(k) == v);
  });
  CHECK(visited == expected.size());
  CHECK(table.Find(20001) == nullptr);
  CHECK_FALSE(table.Contains(99999));
}

TEST_CASE("a hash table keeps key 0 and keys that collide in their low bits") {
  knowledge::HashTable table(4);
  table[0] = 2.5f;
  for (uint64_t i = 1; i <= 64; ++i) table[i << 40] = static_cast<float>(i);  // equal low bits
  REQUIRE(table.Find(0) != nullptr);
  CHECK(*table.Find(0) == 2.5f);
  for (uint64_t i = 1; i <= 64; ++i) CHECK(*table.Find(i << 40) == static_cast<float>(i));
  table.Clear();
  CHECK(table.empty());
  CHECK(table.Find(0) == nullptr);
}
