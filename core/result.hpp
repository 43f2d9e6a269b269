#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace core {

// Protocol-neutral error kinds. Only server/ maps them to HTTP statuses.
enum class ErrorCode {
  kInvalidArgument,    // the caller's input is wrong (bad JSON, unknown field, ...)
  kNotFound,           // the thing asked for does not exist
  kUnauthenticated,    // missing or forged credentials
  kPermissionDenied,   // authenticated, but not allowed
  kConflict,           // state does not allow the operation now
  kUnavailable,        // temporary: database locked, disk full, provider down
  kTooLarge,           // input exceeds a configured limit
  kRateLimited,        // too many attempts
  kInternal,           // a bug or an unexpected failure
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// A value or an Error, shaped like C++23 std::expected so it can be swapped later.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT: implicit on purpose
  Result(Error error) : data_(std::move(error)) {}     // NOLINT: implicit on purpose

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(data_); }
  const T& value() const& { assert(ok()); return std::get<0>(data_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit on purpose

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace core
