#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "tests/fakes/temp_dir.hpp"

namespace {

core::Result<void> Insert(store::Database& db, int64_t n) {
  auto s = store::Statement::Prepare(db, "INSERT INTO meta(key, value) VALUES (?1, 'v')");
  if (!s.ok()) return s.error();
  s->Bind(1, "k" + std::to_string(n));
  return s->Run();
}

int64_t Count(store::Store& store, const std::string& sql) {
  int64_t n = -1;
  auto r = store.Read([&](store::Database& db) -> core::Result<void> {
    auto v = store::QueryInt(db, sql);
    if (!v.ok()) return v.error();
    n = *v;
    return {};
  });
  REQUIRE(r.ok());
  return n;
}

}  // namespace

TEST_CASE("concurrent writes are committed in batches and all become visible", "[store][writer]") {
  fakes::TempDir dir;
  auto opened = store::Store::Open(dir.Path("w.db"));
  REQUIRE(opened.ok());
  auto& store = **opened;
  std::mutex mu;
  std::vector<size_t> batches;
  store.SetBatchObserver([&](size_t n) {
    std::lock_guard<std::mutex> lock(mu);
    batches.push_back(n);
  });
  constexpr int kThreads = 8, kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = store.Write([&](store::Database& db) { return Insert(db, t * 1000 + i); });
        if (!r.ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(Count(store, "SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'") == kThreads * kPerThread);
  size_t total = 0, largest = 0;
  for (size_t b : batches) {
    total += b;
    largest = std::max(largest, b);
  }
  CHECK(total == kThreads * kPerThread);
  CHECK(batches.size() < total);  // at least one commit covered several writes
  CHECK(largest > 1);
}

TEST_CASE("a failing job rolls back only its own changes", "[store][writer]") {
  fakes::TempDir dir;
  auto opened = store::Store::Open(dir.Path("r.db"));
  REQUIRE(opened.ok());
  auto& store = **opened;
  auto bad = store.Write([](store::Database& db) -> core::Result<void> {
    auto r = Insert(db, 1);
    if (!r.ok()) return r;
    return core::MakeError(core::ErrorCode::kInvalidArgument, "changed my mind");
  });
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "changed my mind");
  REQUIRE(store.Write([](store::Database& db) { return Insert(db, 2); }).ok());
  CHECK(Count(store, "SELECT COUNT(*) FROM meta WHERE key = 'k1'") == 0);
  CHECK(Count(store, "SELECT COUNT(*) FROM meta WHERE key = 'k2'") == 1);
  // A constraint violation is a conflict, not a crash.
  auto dup = store.Write([](store::Database& db) { return Insert(db, 2); });
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == core::ErrorCode::kConflict);
}

TEST_CASE("a full disk is reported as unavailable and nothing half-written remains", "[store][writer]") {
  fakes::TempDir dir;
  auto opened = store::Store::Open(dir.Path("full.db"));
  REQUIRE(opened.ok());
  auto& store = **opened;
  // Cap the file at its current size: the next growth fails like a full disk (SQLITE_FULL).
  REQUIRE(store.Write([](store::Database& db) -> core::Result<void> {
    auto pages = store::QueryInt(db, "PRAGMA page_count");
    if (!pages.ok()) return pages.error();
    return db.Exec("PRAGMA max_page_count = " + std::to_string(*pages));
  }).ok());
  std::string big(64 * 1024, 'x');
  auto r = store.Write([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db, "INSERT INTO meta(key, value) VALUES ('big', ?1)");
    if (!s.ok()) return s.error();
    s->Bind(1, big);
    return s->Run();
  });
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message);
  CHECK(r.error().code == core::ErrorCode::kUnavailable);
  CHECK(Count(store, "SELECT COUNT(*) FROM meta WHERE key = 'big'") == 0);
}

TEST_CASE("writes after Stop are refused, not lost silently", "[store][writer]") {
  fakes::TempDir dir;
  auto opened = store::Store::Open(dir.Path("s.db"));
  REQUIRE(opened.ok());
  (*opened)->Stop();
  auto r = (*opened)->Write([](store::Database& db) { return Insert(db, 1); });
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message);
  CHECK(r.error().code == core::ErrorCode::kUnavailable);
}

TEST_CASE("readers run in parallel with the writer", "[store][readers]") {
  fakes::TempDir dir;
  auto opened = store::Store::Open(dir.Path("p.db"));
  REQUIRE(opened.ok());
  auto& store = **opened;
  REQUIRE(store.Write([](store::Database& db) { return Insert(db, 1); }).ok());
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      auto r = store.Read([&](store::Database&) -> core::Result<void> {
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        --inside;
        return {};
      });
      CHECK(r.ok());
    });
  }
  for (auto& t : readers) t.join();
  CHECK(most > 1);
}
