#include "json_fields.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "penlink/errors.hpp"

namespace penlink::treatment::detail {

void fail(const std::string& origin, const std::string& place, const std::string& why) {
    std::string message;
    if (!origin.empty()) message = origin + ": ";
    if (!place.empty()) message += place + ": ";
    throw InvalidArgumentError(message + why);
}

namespace {

// Boost.JSON keeps one of two equal keys of an object and drops the other without a word: in a
// recipe, "depth_mm" given twice would be silently half-read. So the (already valid) text is
// scanned once more for keys repeated within one object, naming the place.
void refuse_duplicate_keys(const std::string& text, const std::string& origin) {
    struct Frame {
        bool object = false;
        std::set<std::string> keys;
        std::string key;        // the current member's key (objects)
        std::size_t index = 0;  // the current element (arrays)
    };
    std::vector<Frame> frames;
    const auto place = [&](std::size_t depth) {
        std::string path;
        for (std::size_t i = 0; i + 1 < depth; ++i) {
            const Frame& frame = frames[i];
            path = frame.object ? join(path, frame.key)
                                : path + "[" + std::to_string(frame.index) + "]";
        }
        return path;
    };
    for (std::size_t at = 0; at < text.size(); ++at) {
        const char c = text[at];
        if (c == '{' || c == '[') {
            frames.push_back(Frame{c == '{', {}, {}, 0});
        } else if ((c == '}' || c == ']') && !frames.empty()) {
            frames.pop_back();
        } else if (c == ',' && !frames.empty() && !frames.back().object) {
            ++frames.back().index;
        } else if (c == '"') {
            std::string raw;
            for (++at; at < text.size() && text[at] != '"'; ++at) {
                if (text[at] == '\\' && at + 1 < text.size()) raw += text[at++];
                raw += text[at];
            }
            std::size_t next = at + 1;
            while (next < text.size() && std::isspace(static_cast<unsigned char>(text[next]))) {
                ++next;
            }
            const bool is_key =
                next < text.size() && text[next] == ':' && !frames.empty() && frames.back().object;
            if (!is_key) continue;
            Frame& frame = frames.back();
            if (!frame.keys.insert(raw).second) {
                fail(origin, join(place(frames.size()), raw), "appears twice in one object");
            }
            frame.key = raw;
        }
    }
}

}  // namespace

boost::json::value parse_json(const std::string& text, const std::string& origin) {
    boost::json::stream_parser parser;
    boost::system::error_code error;
    const std::size_t used = parser.write(text.data(), text.size(), error);
    if (!error) parser.finish(error);
    if (error) {
        // Where it stopped, as a person counts: line and column, 1-based.
        const std::size_t at = std::min(used, text.size());
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
        const auto last_newline = text.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t column =
            last_newline == std::string::npos || at == 0 ? at + 1 : at - last_newline;
        fail(origin, "",
             "not valid JSON at line " + std::to_string(line) + ", column " +
                 std::to_string(column) + ": " + error.message());
    }
    refuse_duplicate_keys(text, origin);
    return parser.release();
}

std::string join(const std::string& place, const std::string& key) {
    return place.empty() ? key : place + "." + key;
}

std::string format_number(double value) {
    char text[64];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(text, sizeof text, "%.*g", precision, value);
        if (std::strtod(text, nullptr) == value) break;
    }
    return text;
}

const char* kind_name(const boost::json::value& value) {
    switch (value.kind()) {
        case boost::json::kind::null:
            return "null";
        case boost::json::kind::bool_:
            return "a boolean";
        case boost::json::kind::int64:
        case boost::json::kind::uint64:
        case boost::json::kind::double_:
            return "a number";
        case boost::json::kind::string:
            return "a string";
        case boost::json::kind::array:
            return "an array";
        case boost::json::kind::object:
            return "an object";
    }
    return "a value";
}

namespace {
const boost::json::object& as_object(const boost::json::value& value, const std::string& origin,
                                     const std::string& place) {
    if (!value.is_object()) {
        fail(origin, place, std::string("must be an object, not ") + kind_name(value));
    }
    return value.get_object();
}
}  // namespace

Fields::Fields(const boost::json::value& value, std::string origin, std::string place)
    : object_(as_object(value, origin, place)),
      origin_(std::move(origin)),
      place_(std::move(place)) {}

void Fields::fail_at(const std::string& key, const std::string& why) const {
    fail(origin_, place_of(key), why);
}

void Fields::allow_only(std::initializer_list<const char*> allowed) const {
    for (const auto& entry : object_) {
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&](const char* name) { return entry.key() == name; });
        if (known) continue;
        std::string names;
        for (const char* name : allowed) names += std::string(names.empty() ? "" : ", ") + name;
        fail_at(std::string(entry.key()), "unknown field (allowed: " + names + ")");
    }
}

bool Fields::has(const char* key) const { return object_.contains(key); }

const boost::json::value& Fields::required(const char* key) const {
    const auto* value = object_.if_contains(key);
    if (!value) fail_at(key, "missing (required)");
    return *value;
}

std::string Fields::string(const char* key) const {
    const auto& value = required(key);
    if (!value.is_string()) fail_at(key, std::string("must be a string, not ") + kind_name(value));
    if (value.get_string().empty()) fail_at(key, "must not be empty");
    return std::string(value.get_string());
}

std::string Fields::optional_string(const char* key) const {
    if (!has(key)) return {};
    const auto& value = object_.at(key);
    if (!value.is_string()) fail_at(key, std::string("must be a string, not ") + kind_name(value));
    return std::string(value.get_string());
}

double Fields::number(const char* key) const {
    const auto& value = required(key);
    if (!value.is_number()) fail_at(key, std::string("must be a number, not ") + kind_name(value));
    const double number = value.to_number<double>();
    if (!std::isfinite(number)) fail_at(key, format_number(number) + " is not a finite number");
    return number;
}

std::int64_t Fields::integer(const char* key) const {
    const double value = number(key);
    if (value != std::floor(value) || std::fabs(value) > 1e15) {
        fail_at(key, format_number(value) + " is not a whole number");
    }
    return static_cast<std::int64_t>(value);
}

const boost::json::array& Fields::array(const char* key) const {
    const auto& value = required(key);
    if (!value.is_array()) fail_at(key, std::string("must be an array, not ") + kind_name(value));
    return value.get_array();
}

}  // namespace penlink::treatment::detail
