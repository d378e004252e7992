// Strict reading of the treatment JSON files (recipes, zone charts): every error names the place
// ("steps[2].depth_mm: ..."), unknown fields are refused and numbers must be finite, so a typo
// never silently drops a safety setting.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <string>

namespace penlink::treatment::detail {

/// Throws InvalidArgumentError "origin: place: why" ("place: why" if origin is empty).
[[noreturn]] void fail(const std::string& origin, const std::string& place, const std::string& why);

/// Parses text; a syntax error names origin, line and column.
boost::json::value parse_json(const std::string& text, const std::string& origin);

/// "steps[2]" + "depth_mm" -> "steps[2].depth_mm"; "" + "name" -> "name".
std::string join(const std::string& place, const std::string& key);

/// A number for messages: shortest form that reads back ("0.25", "1e+300").
std::string format_number(double value);

/// One JSON object read field by field.
class Fields {
public:
    /// Throws unless value is an object.
    Fields(const boost::json::value& value, std::string origin, std::string place);

    /// Throws naming the first field not in allowed.
    void allow_only(std::initializer_list<const char*> allowed) const;
    bool has(const char* key) const;
    const boost::json::value& required(const char* key) const;
    std::string string(const char* key) const;               ///< required, non-empty
    std::string optional_string(const char* key) const;      ///< "" if absent
    double number(const char* key) const;                    ///< required, finite
    std::int64_t integer(const char* key) const;             ///< required, whole
    const boost::json::array& array(const char* key) const;  ///< required
    const boost::json::object& object() const { return object_; }
    std::string place_of(const std::string& key) const { return join(place_, key); }
    const std::string& origin() const { return origin_; }
    const std::string& place() const { return place_; }
    [[noreturn]] void fail_at(const std::string& key, const std::string& why) const;

private:
    const boost::json::object& object_;
    std::string origin_;
    std::string place_;
};

/// The whole file at path; InvalidArgumentError "cannot read <what> <path>" otherwise.
std::string read_text_file(const std::string& path, const char* what);

/// The JSON type's name for messages ("a string", "a number").
const char* kind_name(const boost::json::value& value);

}  // namespace penlink::treatment::detail
