// Walking a tool's command line one option at a time: "--name=value" has its value split off,
// "--name value" takes the next argument, and an option given a value it does not take, or
// missing one it needs, is refused by name. Error is the tool's own usage error type, built
// from the message.
#pragma once

#include <string>

namespace penlink::tools {

template <typename Error>
class OptionCursor {
public:
    OptionCursor(int argc, char** argv) : argc_(argc), argv_(argv) {}

    /// Moves to the next argument; false when there is none.
    bool next() {
        if (++index_ >= argc_) return false;
        arg_ = argv_[index_];
        inline_value_.clear();
        has_inline_value_ = false;
        if (const auto eq = arg_.find('='); arg_.starts_with("--") && eq != std::string::npos) {
            inline_value_ = arg_.substr(eq + 1);
            arg_.resize(eq);
            has_inline_value_ = true;
        }
        return true;
    }

    /// The option's name ("--tcp" of "--tcp=0").
    const std::string& arg() const { return arg_; }

    /// The option's value: after '=', else the next argument (which is then used up).
    std::string value() {
        if (has_inline_value_) return inline_value_;
        if (index_ + 1 >= argc_) throw Error("option " + arg_ + " needs a value");
        return argv_[++index_];
    }

    /// Refuses a value given to an option that takes none ("--quiet=1").
    void no_value() const {
        if (has_inline_value_) throw Error("option " + arg_ + " takes no value");
    }

private:
    int argc_;
    char** argv_;
    int index_ = 0;
    std::string arg_;
    std::string inline_value_;
    bool has_inline_value_ = false;
};

}  // namespace penlink::tools
