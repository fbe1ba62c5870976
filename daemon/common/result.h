#pragma once

#include <utility>
#include <variant>

namespace atmwatch {

// A value, or the reason there is none: for parsers of outside input
// (datagrams, journal lines, state files), where malformed input is ordinary
// and is reported as a value, never thrown. Reading the alternative that is
// not held is a programming error (std::bad_variant_access).
template <typename T, typename E>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(E error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }

  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

}  // namespace atmwatch
