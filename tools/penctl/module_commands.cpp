// `penctl modules` and `penctl param`: a pen's add-on modules as their descriptors declare them,
// and their parameters by key. Nothing here knows any module: all comes from the descriptor.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "command_line.hpp"
#include "commands.hpp"

namespace penctl {
namespace {

constexpr const char* kModulesUsage =
    "usage: penctl modules URL\n"
    "Lists the pen's add-on modules and, from each module's descriptor, its\n"
    "parameters (type, range, step, default, access), telemetry channels (range,\n"
    "alarms) and the interlocks the pen enforces.\n"
    "URL: serial:///dev/ttyUSB0[?baud=115200], tcp://HOST:PORT or\n"
    "     sim://[?module=FILE]\n";

constexpr const char* kParamUsage =
    "usage: penctl param URL MODULE.KEY=VALUE... | MODULE.KEY... | MODULE\n"
    "Sets parameters of add-on modules (all values of one module at once: the pen\n"
    "applies all or none), or reads one parameter, or every parameter of a module.\n"
    "  MODULE   a module's key (see penctl modules), or KEY@SLOT when two are fitted\n"
    "  VALUE    a number in the parameter's unit, true/false, or an enum label\n"
    "example: penctl param sim://?module=cooling_tip.json cooling.setpoint_c=12.5 \\\n"
    "             cooling.enabled=true\n";

std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

std::string with_unit(double value, const std::string& unit) {
    return unit.empty() ? number_text(value) : number_text(value) + " " + unit;
}

const char* type_name(penlink::ParamType type) {
    switch (type) {
        case penlink::ParamType::Bool:
            return "bool";
        case penlink::ParamType::Integer:
            return "integer";
        case penlink::ParamType::Fixed:
            return "fixed";
        case penlink::ParamType::Enum:
            return "enum";
    }
    return "?";
}

std::string range_of(const penlink::ParamSpec& p) {
    switch (p.type) {
        case penlink::ParamType::Bool:
            return std::string("true/false, default ") + (p.default_value != 0 ? "true" : "false");
        case penlink::ParamType::Enum: {
            std::string labels;
            for (const auto& label : p.labels) labels += (labels.empty() ? "" : "|") + label;
            const auto index = static_cast<std::size_t>(p.default_value);
            return labels + ", default " + (index < p.labels.size() ? p.labels[index] : "?");
        }
        case penlink::ParamType::Integer:
        case penlink::ParamType::Fixed:
            break;
    }
    return number_text(p.min) + " - " + with_unit(p.max, p.unit) + " step " + number_text(p.step) +
           ", default " + number_text(p.default_value);
}

void print_module(const penlink::Module& module) {
    const auto& d = module.descriptor();
    std::printf("%s@%d  %s\n", module.key().c_str(), static_cast<int>(module.slot()),
                d.name.c_str());
    std::printf("  vendor %s (%u), model %u, firmware %s", d.vendor_name.c_str(),
                static_cast<unsigned>(module.vendor_id()), static_cast<unsigned>(module.model_id()),
                module.firmware_version().c_str());
    for (const auto& profile : d.profiles) std::printf(", profile %s", profile.c_str());
    std::printf("\n  parameters:\n");
    for (const auto& p : d.parameters) {
        std::printf("    %-16s %-7s %s%s%s\n", p.key.c_str(), type_name(p.type),
                    range_of(p).c_str(),
                    p.access == penlink::ParamAccess::Read ? ", read-only" : "",
                    p.safety == penlink::SafetyClass::Energy ? ", energy" : "");
    }
    if (!d.telemetry.empty()) std::printf("  telemetry:\n");
    for (const auto& t : d.telemetry) {
        std::string alarms;
        if (t.has_alarm_low) alarms += ", alarm below " + number_text(t.alarm_low);
        if (t.has_alarm_high) alarms += ", alarm above " + number_text(t.alarm_high);
        std::printf("    %-16s %s - %s%s\n", t.key.c_str(), number_text(t.min).c_str(),
                    with_unit(t.max, t.unit).c_str(), alarms.c_str());
    }
    if (!d.interlocks.empty()) std::printf("  interlocks:\n");
    for (const auto& i : d.interlocks) {
        std::string guards;
        for (const auto& g : i.guards) guards += (guards.empty() ? "" : ", ") + g;
        std::printf("    %-16s %s: %s (guards %s)\n", i.key.c_str(), i.condition.c_str(),
                    i.description.c_str(), guards.c_str());
    }
}

// "cooling.setpoint_c" -> {"cooling", "setpoint_c"}; "cooling" -> {"cooling", ""}.
std::pair<std::string, std::string> split_name(const std::string& name) {
    const auto dot = name.find('.');
    if (dot == std::string::npos) return {name, ""};
    if (dot == 0 || dot + 1 == name.size()) {
        throw UsageError("\"" + name + "\" is not MODULE.KEY (e.g. cooling.setpoint_c)");
    }
    return {name.substr(0, dot), name.substr(dot + 1)};
}

// The text after '=' as the parameter's kind of value; the SDK then checks range and step.
penlink::ParamValue parse_value(const penlink::Module& module, const std::string& key,
                                const std::string& text) {
    const penlink::ParamSpec* spec = module.descriptor().find_parameter(key);
    if (!spec) return penlink::ParamValue(text);  // the SDK names the keys there are
    switch (spec->type) {
        case penlink::ParamType::Bool:
            if (text == "true" || text == "on" || text == "1") return penlink::ParamValue(true);
            if (text == "false" || text == "off" || text == "0") return penlink::ParamValue(false);
            throw UsageError(module.key() + "." + key + " takes true or false, not \"" + text +
                             "\"");
        case penlink::ParamType::Enum:
            return penlink::ParamValue(text);
        case penlink::ParamType::Integer:
        case penlink::ParamType::Fixed:
            break;
    }
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(number)) {
        throw UsageError(module.key() + "." + key + " takes a number in " +
                         (spec->unit.empty() ? std::string("no unit") : spec->unit) + ", not \"" +
                         text + "\"");
    }
    return penlink::ParamValue(number);
}

std::string shown(const penlink::Module& module, const penlink::ParamSetting& setting) {
    const penlink::ParamSpec* spec = module.descriptor().find_parameter(setting.key);
    const auto& value = setting.value;
    if (value.kind() == penlink::ParamValue::Kind::Number && spec) {
        return with_unit(value.as_number(), spec->unit);
    }
    return value.kind() == penlink::ParamValue::Kind::Label ? value.as_label() : value.to_string();
}

}  // namespace

int run_modules(const Args& args) {
    const CommandLine line("modules", args, {});
    if (line.help()) {
        std::fputs(kModulesUsage, stdout);
        return 0;
    }
    const auto pen = connect_pen(line.url(), false);
    const auto modules = pen->modules();
    if (modules.empty()) {
        std::puts("no modules fitted");
        return 0;
    }
    for (const auto& module : modules) print_module(module);
    return 0;
}

int run_param(const Args& args) {
    const CommandLine line("param", args, {});
    if (line.help()) {
        std::fputs(kParamUsage, stdout);
        return 0;
    }
    const auto& words = line.positionals();
    if (words.size() < 2) throw UsageError("param needs a URL and at least one MODULE.KEY");
    for (std::size_t i = 2; i < words.size(); ++i) {
        if ((words[i].find('=') != std::string::npos) !=
            (words[1].find('=') != std::string::npos)) {
            throw UsageError(
                "param either sets (MODULE.KEY=VALUE) or reads (MODULE.KEY), "
                "not both at once");
        }
    }
    const auto pen = connect_pen(words[0], false);
    const bool setting = words[1].find('=') != std::string::npos;
    if (setting) {
        // One atomic set per module, in the order the modules first appear.
        std::vector<std::string> order;
        std::map<std::string, std::vector<penlink::ParamSetting>> by_module;
        for (std::size_t i = 1; i < words.size(); ++i) {
            const auto eq = words[i].find('=');
            const auto [module_name, key] = split_name(words[i].substr(0, eq));
            if (key.empty()) throw UsageError("\"" + words[i] + "\" is not MODULE.KEY=VALUE");
            const penlink::Module module = pen->module(module_name);
            if (!by_module.count(module_name)) order.push_back(module_name);
            by_module[module_name].push_back(
                {key, parse_value(module, key, words[i].substr(eq + 1))});
        }
        for (const auto& module_name : order) {
            const penlink::Module module = pen->module(module_name);
            pen->set_params(module_name, by_module[module_name]);
            std::string text;
            for (const auto& s : by_module[module_name]) {
                text += (text.empty() ? "" : ", ") + s.key + " = " + shown(module, s);
            }
            std::printf("%s: set %s\n", module_name.c_str(), text.c_str());
        }
        return 0;
    }
    for (std::size_t i = 1; i < words.size(); ++i) {
        const auto [module_name, key] = split_name(words[i]);
        const penlink::Module module = pen->module(module_name);
        if (key.empty()) {
            for (const auto& value : pen->get_params(module_name)) {
                std::printf("%s.%s = %s\n", module_name.c_str(), value.key.c_str(),
                            shown(module, value).c_str());
            }
        } else {
            const penlink::ParamSetting value{key, pen->get_param(module_name, key)};
            std::printf("%s.%s = %s\n", module_name.c_str(), key.c_str(),
                        shown(module, value).c_str());
        }
    }
    return 0;
}

}  // namespace penctl
