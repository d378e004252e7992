#include "command_line.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace penctl {
namespace {

std::string join_names(std::initializer_list<std::string_view> names) {
    std::string out;
    for (const auto name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

}  // namespace

CommandLine::CommandLine(std::string command, const std::vector<std::string>& args,
                         std::vector<OptionSpec> specs)
    : command_(std::move(command)), specs_(std::move(specs)) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "--help" || arg == "-h") {
            help_ = true;
            continue;
        }
        // A lone "-" or a negative number is a value, not an option.
        if (arg.size() < 2 || arg[0] != '-' || (arg[1] >= '0' && arg[1] <= '9')) {
            positionals_.push_back(arg);
            continue;
        }
        std::string value;
        bool inline_value = false;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg.resize(eq);
            inline_value = true;
        }
        const auto spec = std::find_if(specs_.begin(), specs_.end(),
                                       [&](const OptionSpec& s) { return s.name == arg; });
        if (spec == specs_.end()) {
            throw UsageError("unknown option '" + arg + "' for " + command_);
        }
        if (has(arg)) throw UsageError("option " + arg + " is given twice");
        if (spec->takes_value && !inline_value) {
            if (i + 1 >= args.size()) throw UsageError("option " + arg + " needs a value");
            value = args[++i];
        } else if (!spec->takes_value && inline_value) {
            throw UsageError("option " + arg + " takes no value");
        }
        given_.push_back({arg, value});
    }
}

bool CommandLine::has(std::string_view name) const { return value_of(name) != nullptr; }

const std::string* CommandLine::value_of(std::string_view name) const {
    for (const auto& given : given_) {
        if (given.name == name) return &given.value;
    }
    return nullptr;
}

void CommandLine::require_within(std::string_view name, const std::string& text, double value,
                                 const Range& range) const {
    const bool above_min = range.min_exclusive ? value > range.min : value >= range.min;
    if (above_min && value <= range.max) return;
    char expected[128];
    if (range.min_exclusive) {
        std::snprintf(expected, sizeof expected, "more than %g and at most %g %.*s", range.min,
                      range.max, static_cast<int>(range.unit.size()), range.unit.data());
    } else {
        std::snprintf(expected, sizeof expected, "%g to %g %.*s", range.min, range.max,
                      static_cast<int>(range.unit.size()), range.unit.data());
    }
    throw UsageError("option " + std::string(name) + " " + text + " is out of range: expected " +
                     expected);
}

std::optional<double> CommandLine::number(std::string_view name, const Range& range) const {
    const std::string* text = value_of(name);
    if (!text) return std::nullopt;
    double value = 0;
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (text->empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
        throw UsageError("option " + std::string(name) + " needs a finite number, got '" + *text +
                         "'");
    }
    require_within(name, *text, value, range);
    return value;
}

std::optional<std::int32_t> CommandLine::whole_number(std::string_view name,
                                                      const Range& range) const {
    const std::string* text = value_of(name);
    if (!text) return std::nullopt;
    std::int32_t value = 0;
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (text->empty() || ec != std::errc() || ptr != end) {
        throw UsageError("option " + std::string(name) + " needs a whole number, got '" + *text +
                         "'");
    }
    require_within(name, *text, value, range);
    return value;
}

const std::string& CommandLine::url() const {
    if (positionals_.empty()) {
        throw UsageError(command_ +
                         " needs a pen URL (serial:///dev/ttyUSB0, tcp://HOST:PORT or sim://)");
    }
    if (positionals_.size() > 1) {
        throw UsageError(command_ + " takes one pen URL, got also '" + positionals_[1] + "'");
    }
    return positionals_.front();
}

void CommandLine::expect_no_positionals() const {
    if (!positionals_.empty()) {
        throw UsageError(command_ + " takes no arguments, got '" + positionals_.front() + "'");
    }
}

void CommandLine::at_most_one_of(std::initializer_list<std::string_view> names) const {
    const auto count =
        std::count_if(names.begin(), names.end(), [&](auto name) { return has(name); });
    if (count > 1) throw UsageError("use only one of " + join_names(names));
}

void CommandLine::exactly_one_of(std::initializer_list<std::string_view> names) const {
    const auto count =
        std::count_if(names.begin(), names.end(), [&](auto name) { return has(name); });
    if (count != 1) throw UsageError(command_ + " needs exactly one of " + join_names(names));
}

void CommandLine::requires_option(std::string_view name, std::string_view required) const {
    if (has(name) && !has(required)) {
        throw UsageError("option " + std::string(name) + " needs " + std::string(required));
    }
}

std::optional<std::string> CommandLine::text(std::string_view name) const {
    const std::string* value = value_of(name);
    if (value == nullptr) return std::nullopt;
    return *value;
}

}  // namespace penctl
