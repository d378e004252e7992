// Internal to src/modules: reading one JSON object of a module descriptor (docs/modules.md)
// with errors that name the field ("parameters[1] (\"setpoint_c\"): step 0 must be greater
// than 0"). Fields remembers which members it was asked for, so that any other member (a typo
// such as "defualt") is refused instead of silently ignored.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <boost/json.hpp>

namespace penlink::modules {

/// Throws InvalidArgumentError "module descriptor: <where>: <why>".
[[noreturn]] void refuse(const std::string& where, const std::string& why);

/// A key as descriptors write them: [a-z][a-z0-9_]{0,31}.
bool is_valid_key(const std::string& key);

/// text in double quotes, as error messages name keys and profiles.
std::string quoted(const std::string& text);

/// value with up to 10 significant digits, as error messages show numbers.
std::string number_text(double value);

/// The members of one JSON object; each getter refuses a missing (when required) or mistyped
/// member, naming it.
class Fields {
public:
    /// Refuses value unless it is an object; where names it in every error.
    Fields(const boost::json::value& value, std::string where);

    const std::string& where() const { return where_; }
    bool has(const char* name) const { return object_->contains(name); }

    std::string string(const char* name, bool required = true, std::string fallback = "");
    /// A string member that must be a valid key (is_valid_key).
    std::string key(const char* name);
    /// A finite number.
    double number(const char* name, bool required = true, double fallback = 0.0);
    /// A whole number in lowest..highest (required).
    std::int64_t integer(const char* name, std::int64_t lowest, std::int64_t highest);
    const boost::json::array* array(const char* name, bool required);
    const boost::json::value* raw(const char* name, bool required) { return take(name, required); }

    /// Call last: refuses members nobody asked for.
    void finish() const;

private:
    const boost::json::value* take(const char* name, bool required);

    const boost::json::object* object_ = nullptr;
    std::string where_;
    std::set<std::string> used_;
};

}  // namespace penlink::modules
