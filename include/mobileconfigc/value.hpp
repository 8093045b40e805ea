// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The payload tree: a small ordered plist value type, independent of libplist.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mcc {

struct Member;

/// Raw bytes (plist <data>).
struct Data {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Data&) const = default;
};

/// A plist <date>: seconds since 2001-01-01T00:00:00Z (Apple's epoch).
struct Date {
  double seconds = 0;
  bool operator==(const Date&) const = default;
};

class Value;
using Array = std::vector<Value>;
/// Dictionary members in insertion order; serialization sorts keys.
using Dict = std::vector<Member>;

class Value {
 public:
  enum class Kind { boolean, integer, real, string, data, date, array, dict };

  Value();  // an empty dictionary
  Value(bool b);  // NOLINT(google-explicit-constructor)
  Value(int i);  // NOLINT
  Value(std::int64_t i);  // NOLINT
  Value(double d);  // NOLINT
  Value(std::string s);  // NOLINT
  Value(const char* s);  // NOLINT
  Value(Data d);  // NOLINT
  Value(Date d);  // NOLINT
  Value(Array a);  // NOLINT
  Value(Dict d);  // NOLINT

  [[nodiscard]] Kind kind() const { return static_cast<Kind>(v_.index()); }
  [[nodiscard]] bool is(Kind k) const { return kind() == k; }

  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  [[nodiscard]] double as_real() const { return std::get<double>(v_); }
  [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
  [[nodiscard]] const Data& as_data() const { return std::get<Data>(v_); }
  [[nodiscard]] const Date& as_date() const { return std::get<Date>(v_); }
  [[nodiscard]] const Array& as_array() const { return std::get<Array>(v_); }
  [[nodiscard]] Array& as_array() { return std::get<Array>(v_); }
  [[nodiscard]] const Dict& as_dict() const { return std::get<Dict>(v_); }
  [[nodiscard]] Dict& as_dict() { return std::get<Dict>(v_); }

  /// The number a device reads: a boolean as 1 or 0, an integer or real as it is; nothing
  /// for other kinds. Profiles write the same setting either way (`<true/>`, `<integer>1`).
  [[nodiscard]] std::optional<double> device_number() const;

  /// Dictionary lookup; nullptr when absent or when this is not a dictionary.
  [[nodiscard]] const Value* find(std::string_view key) const;
  [[nodiscard]] Value* find(std::string_view key);
  /// Sets (replacing in place, or appending) a dictionary member.
  void set(std::string_view key, Value v);
  /// Removes a dictionary member; returns whether it was there.
  bool erase(std::string_view key);

  bool operator==(const Value& other) const;

 private:
  std::variant<bool, std::int64_t, double, std::string, Data, Date, Array, Dict> v_;
};

struct Member {
  std::string key;
  Value value;
  bool operator==(const Member& other) const { return key == other.key && value == other.value; }
};

// Defined once Member is complete: each constructor instantiates the variant's destructor,
// which needs std::vector<Member> complete (clang with libstdc++ insists).
inline Value::Value() : v_(Dict{}) {}
inline Value::Value(Dict d) : v_(std::move(d)) {}
inline Value::Value(bool b) : v_(b) {}
inline Value::Value(int i) : v_(static_cast<std::int64_t>(i)) {}
inline Value::Value(std::int64_t i) : v_(i) {}
inline Value::Value(double d) : v_(d) {}
inline Value::Value(std::string s) : v_(std::move(s)) {}
inline Value::Value(const char* s) : v_(std::string(s)) {}
inline Value::Value(Data d) : v_(std::move(d)) {}
inline Value::Value(Date d) : v_(d) {}
inline Value::Value(Array a) : v_(std::move(a)) {}

/// Short human rendering of a scalar ("1", "\"abc\"", "<data 12 bytes>", "<array 3>"); a
/// long string is cut after 120 bytes and says how long it was.
std::string describe(const Value& v);

}  // namespace mcc
