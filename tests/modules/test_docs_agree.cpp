// docs/modules.md is what partners write descriptors from; its unit table and profile tables must
// list exactly what the parser accepts (src/modules/units.cpp, src/modules/profiles.cpp), in the
// same order, so the document and the code cannot drift apart.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "modules/profiles.hpp"
#include "modules/units.hpp"
#include "penlink/errors.hpp"
#include "penlink/module_descriptor.hpp"
#include "protocol/messages.hpp"

using namespace penlink;

namespace {

std::vector<std::string> doc_lines() {
    const std::string path = std::string(PENLINK_SOURCE_DIR) + "/docs/modules.md";
    std::ifstream file(path);
    INFO("reading " << path);
    REQUIRE(file.good());
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) lines.push_back(line);
    return lines;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// The cells of a Markdown table row ("| a | b |" -> {"a", "b"}); empty for any other line.
std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    if (line.size() < 2 || line.front() != '|' || line.back() != '|') return out;
    std::istringstream row(line.substr(1, line.size() - 2));
    for (std::string cell; std::getline(row, cell, '|');) out.push_back(trim(cell));
    return out;
}

// `text` -> text; anything else is returned as it is, so a mismatch shows in the comparison.
std::string unquote(const std::string& cell) {
    if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
        return cell.substr(1, cell.size() - 2);
    }
    return cell;
}

// The lines of the section whose heading is exactly heading, up to the next heading of the same
// or a higher level.
std::vector<std::string> section(const std::vector<std::string>& lines,
                                 const std::string& heading) {
    const std::string level = heading.substr(0, heading.find(' ') + 1);
    std::vector<std::string> out;
    bool inside = false;
    for (const std::string& line : lines) {
        if (line == heading) {
            inside = true;
            continue;
        }
        if (inside && line.rfind("#", 0) == 0) {
            const std::string prefix = line.substr(0, line.find(' ') + 1);
            if (prefix.size() <= level.size()) break;
        }
        if (inside) out.push_back(line);
    }
    INFO("section \"" << heading << "\" of docs/modules.md");
    REQUIRE(!out.empty());
    return out;
}

const char* type_name(ParamType type) {
    switch (type) {
        case ParamType::Bool:
            return "bool";
        case ParamType::Integer:
            return "integer";
        case ParamType::Fixed:
            return "fixed";
        case ParamType::Enum:
            return "enum";
    }
    return "?";
}

std::string unit_cell(std::string_view unit) {
    return unit.empty() ? "-" : "`" + std::string(unit) + "`";
}

// "scale 0.001" for a fixed parameter, "labels `a`, `b`" for an enum, "" otherwise.
std::string convention_cell(const modules::ProfileParam& p) {
    if (p.type == ParamType::Fixed) {
        std::ostringstream scale;
        scale << p.scale;
        return "scale " + scale.str();
    }
    std::string labels;
    for (std::string_view label : p.labels) {
        labels += (labels.empty() ? "labels `" : ", `") + std::string(label) + "`";
    }
    return labels;
}

}  // namespace

TEST_CASE("docs/modules.md lists exactly the units the parser accepts, in order",
          "[modules][doc]") {
    std::vector<std::string> documented;
    for (const std::string& line : section(doc_lines(), "### Units")) {
        const auto row = cells(line);
        if (row.size() != 2 || row[0] == "Unit" || row[0].rfind("---", 0) == 0) continue;
        const std::string unit = unquote(row[0]);
        documented.push_back(unit == "\"\"" ? "" : unit);
    }
    std::vector<std::string> code;
    for (std::string_view unit : modules::known_units()) code.emplace_back(unit);
    CHECK(documented == code);
    for (const std::string& unit : documented) {
        INFO("unit \"" << unit << "\"");
        CHECK(modules::is_known_unit(unit));
    }
}

TEST_CASE("docs/modules.md lists exactly the standard profiles of profiles.cpp", "[modules][doc]") {
    const auto lines = section(doc_lines(), "### Standard profiles");

    // One entry per profile: its heading, then one row per parameter and channel.
    struct Listed {
        std::string name;
        std::vector<std::string> rows;
    };
    std::vector<Listed> documented;
    for (const std::string& line : lines) {
        if (line.rfind("#### ", 0) == 0) {
            documented.push_back({unquote(line.substr(5)), {}});
            continue;
        }
        const auto row = cells(line);
        if (documented.empty() || row.size() < 6) continue;
        if (row[0] != "parameter" && row[0] != "telemetry") continue;
        documented.back().rows.push_back(row[0] + " " + row[1] + " " + row[2] + " " + row[3] + " " +
                                         row[4] + " | " + row[5]);
    }

    std::vector<Listed> code;
    for (const modules::Profile& profile : modules::known_profiles()) {
        Listed listed{std::string(profile.name), {}};
        for (const modules::ProfileParam& p : profile.parameters) {
            listed.rows.push_back("parameter `" + std::string(p.key) + "` " + std::to_string(p.id) +
                                  " " + type_name(p.type) + " " + unit_cell(p.unit) + " | " +
                                  convention_cell(p));
        }
        for (const modules::ProfileChannel& t : profile.telemetry) {
            listed.rows.push_back("telemetry `" + std::string(t.key) + "` " + std::to_string(t.id) +
                                  " - " + unit_cell(t.unit) + " | ");
        }
        code.push_back(std::move(listed));
    }

    REQUIRE(documented.size() == code.size());
    for (std::size_t i = 0; i < code.size(); ++i) {
        INFO("profile " << code[i].name);
        CHECK(documented[i].name == code[i].name);
        CHECK(documented[i].rows == code[i].rows);
        CHECK(modules::find_profile(documented[i].name) != nullptr);
    }
}

TEST_CASE("error messages name every unit and profile", "[modules][doc]") {
    const std::string units = modules::known_units_text();
    for (std::string_view unit : modules::known_units()) {
        if (!unit.empty()) CHECK(units.find(std::string(unit)) != std::string::npos);
    }
    const std::string profiles = modules::known_profiles_text();
    for (const modules::Profile& profile : modules::known_profiles()) {
        CHECK(profiles.find(std::string(profile.name)) != std::string::npos);
    }
}

namespace {

// A descriptor with n vendor parameters, n channels and n interlocks (each guarding parameter 0).
std::string descriptor_with(std::size_t parameters, std::size_t channels, std::size_t interlocks) {
    std::string text = R"({"schema": "penlink.module/1", "key": "limits", "name": "Limits",
        "vendor": {"id": 1, "name": "V"}, "model": {"id": 1}, "parameters": [)";
    for (std::size_t i = 0; i < parameters; ++i) {
        text += (i ? "," : "") + std::string(R"({"key": "p)") + std::to_string(i) + R"(", "id": )" +
                std::to_string(0x8000 + i) + R"(, "type": "bool", "default": false})";
    }
    text += R"(], "telemetry": [)";
    for (std::size_t i = 0; i < channels; ++i) {
        text += (i ? "," : "") + std::string(R"({"key": "t)") + std::to_string(i) + R"(", "id": )" +
                std::to_string(0x80 + i) + R"(, "min": 0, "max": 1})";
    }
    text += R"(], "interlocks": [)";
    for (std::size_t i = 0; i < interlocks; ++i) {
        text += (i ? "," : "") + std::string(R"({"key": "i)") + std::to_string(i) +
                R"(", "condition": "no_fault", "guards": ["p0"]})";
    }
    return text + "]}";
}

bool accepted(const std::string& text) {
    try {
        parse_module_descriptor(text);
        return true;
    } catch (const InvalidArgumentError&) {
        return false;
    }
}

}  // namespace

TEST_CASE("docs/modules.md states the limits the parser and the protocol enforce",
          "[modules][doc]") {
    std::map<std::string, std::string> limits;
    for (const std::string& line : section(doc_lines(), "### Limits and errors, in one place")) {
        const auto row = cells(line);
        if (row.size() == 2 && row[0] != "Limit" && row[0].rfind("---", 0) != 0) {
            limits[row[0]] = row[1];
        }
    }
    CHECK(limits["descriptor size"] == std::to_string(protocol::kMaxDescriptorSize) + " bytes");
    CHECK(limits["modules per pen"] == std::to_string(protocol::kMaxModules));
    CHECK(limits["parameters per set or read message"] ==
          std::to_string(protocol::kMaxParamsPerMessage));
    CHECK(limits["telemetry readings per Status"] == std::to_string(protocol::kMaxTelemetryValues));

    // "64 / 32 / 16": each the most a descriptor may have, one more is refused.
    const std::string per_module = limits["parameters / channels / interlocks per module"];
    std::size_t parameters = 0, channels = 0, interlocks = 0;
    char slash1 = 0, slash2 = 0;
    std::istringstream in(per_module);
    in >> parameters >> slash1 >> channels >> slash2 >> interlocks;
    INFO("per module: " << per_module);
    REQUIRE((in && slash1 == '/' && slash2 == '/'));
    CHECK(accepted(descriptor_with(parameters, channels, interlocks)));
    CHECK(!accepted(descriptor_with(parameters + 1, 1, 1)));
    CHECK(!accepted(descriptor_with(1, channels + 1, 1)));
    CHECK(!accepted(descriptor_with(1, 1, interlocks + 1)));
}
