// Fields and the error helpers of descriptor parsing: see descriptor_fields.hpp.
#include "modules/descriptor_fields.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "penlink/errors.hpp"

namespace penlink::modules {

namespace json = boost::json;

void refuse(const std::string& where, const std::string& why) {
    throw InvalidArgumentError("module descriptor: " + (where.empty() ? "" : where + ": ") + why);
}

bool is_valid_key(const std::string& key) {
    if (key.empty() || key.size() > 32 || key[0] < 'a' || key[0] > 'z') return false;
    for (char c : key) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string number_text(double value) {
    std::ostringstream text;
    text.precision(10);
    text << value;
    return text.str();
}

Fields::Fields(const json::value& value, std::string where) : where_(std::move(where)) {
    if (!value.is_object()) refuse(where_, "must be a JSON object");
    object_ = &value.get_object();
}

std::string Fields::string(const char* name, bool required, std::string fallback) {
    const json::value* v = take(name, required);
    if (!v) return fallback;
    if (!v->is_string()) refuse(where_, std::string("\"") + name + "\" must be a string");
    return std::string(v->get_string());
}

std::string Fields::key(const char* name) {
    std::string text = string(name);
    if (!is_valid_key(text)) {
        refuse(where_,
               std::string("\"") + name + "\" \"" + text + "\" must match [a-z][a-z0-9_]{0,31}");
    }
    return text;
}

double Fields::number(const char* name, bool required, double fallback) {
    const json::value* v = take(name, required);
    if (!v) return fallback;
    if (!v->is_number()) refuse(where_, std::string("\"") + name + "\" must be a number");
    const double d = v->to_number<double>();
    if (!std::isfinite(d)) refuse(where_, std::string("\"") + name + "\" must be finite");
    return d;
}

std::int64_t Fields::integer(const char* name, std::int64_t lowest, std::int64_t highest) {
    const json::value* v = take(name, true);
    if (!v->is_int64() && !v->is_uint64()) {
        refuse(where_, std::string("\"") + name + "\" must be a whole number");
    }
    const std::int64_t i =
        v->is_int64()
            ? v->get_int64()
            : static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
    if (i < lowest || i > highest) {
        refuse(where_, std::string("\"") + name + "\" " + std::to_string(i) + " is outside " +
                           std::to_string(lowest) + ".." + std::to_string(highest));
    }
    return i;
}

const json::array* Fields::array(const char* name, bool required) {
    const json::value* v = take(name, required);
    if (!v) return nullptr;
    if (!v->is_array()) refuse(where_, std::string("\"") + name + "\" must be an array");
    return &v->get_array();
}

void Fields::finish() const {
    for (const auto& member : *object_) {
        if (used_.count(std::string(member.key())) == 0) {
            refuse(where_, "unknown field \"" + std::string(member.key()) + "\"");
        }
    }
}

const json::value* Fields::take(const char* name, bool required) {
    used_.insert(name);
    const json::value* v = object_->if_contains(name);
    if (!v && required) refuse(where_, std::string("missing field \"") + name + "\"");
    return v;
}

}  // namespace penlink::modules
