// Recipe and chart texts for the treatment tests, built from a good one with one thing changed.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace penlink::treatment_test {

/// A recipe of the given steps (JSON objects, comma separated).
inline std::string recipe_with(const std::string& steps) {
    return R"({"schema": "penlink.recipe/1", "name": "test", "steps": [)" + steps + "]}";
}

/// One Treat step's JSON; extra is appended inside the object (", \"modules\": {...}").
inline std::string treat(const std::string& name, const std::string& zone, double depth_mm,
                         double duration_s = 1.0, const std::string& extra = "",
                         double speed_hz = 100) {
    std::ostringstream out;
    out << R"({"name": ")" << name << R"(", "zone": ")" << zone << R"(", "depth_mm": )" << depth_mm
        << R"(, "speed_hz": )" << speed_hz << R"(, "duration_s": )" << duration_s << extra << "}";
    return out.str();
}

inline std::string pause_step(const std::string& name) {
    return R"({"name": ")" + name + R"(", "pause": "press the button"})";
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace penlink::treatment_test
