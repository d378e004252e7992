// Hand-written option parsing for penctl's subcommands: small enough that a dependency on
// Boost.Program_options would cost more than it saves, and it lets every error name the option
// and the text the user typed.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace penctl {

/// The user typed something penctl cannot interpret; penctl exits with code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What a numeric option can mean on any pen, checked before penctl connects: a value outside
/// it (or NaN, infinity) is a usage error naming the option, the value and the range. The
/// pen's own, narrower limits are the SDK's to check (exit 1).
struct Range {
    double min = 0;
    double max = 0;
    std::string_view unit;
    bool min_exclusive = false;  ///< (min, max] instead of [min, max]
};

struct OptionSpec {
    std::string_view name;  ///< e.g. "--depth-mm"
    bool takes_value = false;
};

/// The arguments of one subcommand, checked against the options it accepts.
/// "--help"/"-h" is accepted by every command. Values come as "--opt value" or "--opt=value".
class CommandLine {
public:
    /// Throws UsageError for an unknown or repeated option or a missing value.
    CommandLine(std::string command, const std::vector<std::string>& args,
                std::vector<OptionSpec> specs);

    const std::string& command() const { return command_; }
    bool help() const { return help_; }
    bool has(std::string_view name) const;
    /// The option's value as a finite number within range; UsageError otherwise.
    std::optional<double> number(std::string_view name, const Range& range) const;
    /// The option's value as a whole number within range; UsageError otherwise.
    std::optional<std::int32_t> whole_number(std::string_view name, const Range& range) const;
    /// The option's value as typed, if given.
    std::optional<std::string> text(std::string_view name) const;
    const std::vector<std::string>& positionals() const { return positionals_; }

    /// The single positional argument (the pen URL); UsageError if missing or extra.
    const std::string& url() const;
    /// UsageError if there are positional arguments (commands that take no URL).
    void expect_no_positionals() const;
    /// UsageError if more than one of the options is given.
    void at_most_one_of(std::initializer_list<std::string_view> names) const;
    /// UsageError unless exactly one of the options is given.
    void exactly_one_of(std::initializer_list<std::string_view> names) const;
    /// UsageError if `name` is given without `required`.
    void requires_option(std::string_view name, std::string_view required) const;

private:
    const std::string* value_of(std::string_view name) const;
    void require_within(std::string_view name, const std::string& text, double value,
                        const Range& range) const;

    struct Given {
        std::string name;
        std::string value;
    };
    std::string command_;
    std::vector<OptionSpec> specs_;
    std::vector<Given> given_;
    std::vector<std::string> positionals_;
    bool help_ = false;
};

}  // namespace penctl
