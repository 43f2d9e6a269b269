#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace knowledge {

// A map from 64-bit hashes to floats with open addressing and linear probing, for the language
// model's n-gram tables: hundreds of thousands of entries per locale, counted at every index build
// and looked up on every message. std::unordered_map allocates a node per entry and chases a
// pointer per lookup; this keeps keys and values in two flat arrays.
// Key 0 marks an empty slot, so its value lives beside the arrays.
class HashTable {
 public:
  HashTable() = default;
  explicit HashTable(size_t expected) { Reserve(expected); }

  // The value for `key`, inserted as 0 if absent.
  float& operator[](uint64_t key);
  // The value for `key`, or nullptr.
  const float* Find(uint64_t key) const;
  bool Contains(uint64_t key) const { return Find(key) != nullptr; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void Reserve(size_t expected);
  void Clear();

  // Calls f(key, value) for every entry, in no particular order.
  template <class F>
  void ForEach(F&& f) const {
    if (has_zero_) f(uint64_t{0}, zero_value_);
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != 0) f(keys_[i], values_[i]);
    }
  }

 private:
  size_t Slot(uint64_t key) const;
  void Grow();

  std::vector<uint64_t> keys_;  // 0 = empty slot
  std::vector<float> values_;
  size_t size_ = 0;   // entries, key 0 included
  bool has_zero_ = false;
  float zero_value_ = 0;
};

}  // namespace knowledge
