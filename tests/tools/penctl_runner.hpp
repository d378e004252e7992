// Shortcuts for running the built penctl and reading numbers out of its output.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

#include "child_process.hpp"

namespace penlink::tooltest {

inline Finished penctl(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env = {}) {
    return run(PENCTL_PATH, args, env);
}

/// The number that follows `label` in text ("strokes delivered:  194" -> 194).
inline std::optional<double> number_after(const std::string& text, const std::string& label) {
    const auto at = text.find(label);
    if (at == std::string::npos) return std::nullopt;
    const char* start = text.c_str() + at + label.size();
    char* end = nullptr;
    const double value = std::strtod(start, &end);
    if (end == start) return std::nullopt;
    return value;
}

inline int count_lines_containing(const std::string& text, const std::string& needle) {
    int count = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
        auto end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        if (text.substr(begin, end - begin).find(needle) != std::string::npos) ++count;
        begin = end + 1;
    }
    return count;
}

/// penctl's failure contract: exactly one line on stderr, "penctl: <reason>".
inline bool is_one_line_reason(const std::string& err) {
    return err.rfind("penctl: ", 0) == 0 && err.find('\n') == err.size() - 1;
}

}  // namespace penlink::tooltest
