#include "knowledge/hash_table.hpp"

#include <utility>

namespace knowledge {

namespace {

constexpr uint64_t kEmpty = 0;

}  // namespace

size_t HashTable::Slot(uint64_t key) const {
  // Fibonacci hashing spreads keys whose low bits are alike (FNV hashes of short strings).
  const size_t mask = keys_.size() - 1;
  size_t i = static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
  while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & mask;
  return i;
}

float& HashTable::operator[](uint64_t key) {
  if (key == kEmpty) {
    if (!has_zero_) {
      has_zero_ = true;
      zero_value_ = 0;
      ++size_;
    }
    return zero_value_;
  }
  // At most half full: probes stay short.
  if (keys_.empty() || 2 * (size_ + 1) > keys_.size()) Grow();
  size_t i = Slot(key);
  if (keys_[i] == kEmpty) {
    keys_[i] = key;
    values_[i] = 0;
    ++size_;
  }
  return values_[i];
}

const float* HashTable::Find(uint64_t key) const {
  if (key == kEmpty) return has_zero_ ? &zero_value_ : nullptr;
  if (keys_.empty()) return nullptr;
  size_t i = Slot(key);
  return keys_[i] == kEmpty ? nullptr : &values_[i];
}

void HashTable::Reserve(size_t expected) {
  size_t capacity = 16;
  while (capacity < 2 * expected) capacity *= 2;
  if (capacity <= keys_.size()) return;
  std::vector<uint64_t> old_keys(capacity, kEmpty);
  std::vector<float> old_values(capacity, 0.0f);
  std::swap(old_keys, keys_);
  std::swap(old_values, values_);
  for (size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] == kEmpty) continue;
    size_t j = Slot(old_keys[i]);
    keys_[j] = old_keys[i];
    values_[j] = old_values[i];
  }
}

void HashTable::Grow() { Reserve(keys_.empty() ? 8 : keys_.size()); }

void HashTable::Clear() {
  keys_ = {};
  values_ = {};
  size_ = 0;
  has_zero_ = false;
  zero_value_ = 0;
}

}  // namespace knowledge
