// Checks a recipe before anything runs: every step against the zone chart, the device class,
// the session depth limit and (with a pen) the pen's ranges and modules. Every violation is
// collected, so an operator fixes a recipe in one go.
#include <cmath>
#include <limits>

#include "json_fields.hpp"
#include "module_checks.hpp"
#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"

namespace penlink::treatment {

const char* to_string(DeviceClass device_class) noexcept {
    switch (device_class) {
        case DeviceClass::Professional:
            return "professional";
        case DeviceClass::AtHome:
            return "at-home";
    }
    return "unknown";
}

DeviceClass parse_device_class(const std::string& text) {
    if (text == "professional") return DeviceClass::Professional;
    if (text == "at-home") return DeviceClass::AtHome;
    throw InvalidArgumentError("device class '" + text + "' is not professional or at-home");
}

std::string ValidationReport::to_string() const {
    std::string text;
    for (const Violation& violation : violations) text += violation.message + "\n";
    for (const std::string& note : notes) text += "note: " + note + "\n";
    return text;
}

namespace {

using detail::format_number;

struct PenFacts {
    const Capabilities* capabilities = nullptr;
    const std::vector<Module>* modules = nullptr;
};

std::string mm(double value) { return format_number(value) + " mm"; }

class Checker {
public:
    Checker(const Recipe& recipe, const ValidationOptions& options)
        : recipe_(recipe), options_(options) {
        const double cap = options.device.at_home_depth_cap_mm;
        if (options.device.device_class == DeviceClass::AtHome &&
            !(cap > 0 && std::isfinite(cap))) {
            throw InvalidArgumentError("at-home depth cap " + format_number(cap) +
                                       " mm must be a finite number > 0");
        }
    }

    ValidationReport run(std::optional<double> depth_limit_mm, const PenFacts& pen) {
        for (std::size_t i = 0; i < recipe_.steps.size(); ++i) {
            const RecipeStep& step = recipe_.steps[i];
            if (step.kind != StepKind::Treat) continue;
            check_depth(i, step, depth_limit_mm, pen);
            check_speed(i, step, pen);
            for (const ModuleSettings& settings : step.modules) check_module(i, settings, pen);
        }
        return std::move(report_);
    }

private:
    static std::string place(std::size_t index, const std::string& field) {
        return "steps[" + std::to_string(index) + "]." + field;
    }

    void add(std::size_t index, const std::string& field, std::string value, std::string limit,
             std::string unit, const std::string& why) {
        const std::string where = place(index, field);
        report_.violations.push_back({index, where, std::move(value), std::move(limit),
                                      std::move(unit),
                                      where + " (\"" + recipe_.steps[index].name + "\"): " + why});
    }

    void check_depth(std::size_t i, const RecipeStep& step, std::optional<double> limit,
                     const PenFacts& pen) {
        const std::string depth = format_number(step.depth_mm);
        const Zone* zone = options_.zones.find(step.zone);
        if (!zone) {
            add(i, "zone", step.zone, options_.zones.keys(), "",
                "unknown zone '" + step.zone + "' (the chart \"" + options_.zones.name() +
                    "\" has: " + options_.zones.keys() + ")");
        } else if (step.depth_mm > zone->depth_max_mm) {
            add(i, "depth_mm", depth, format_number(zone->depth_max_mm), "mm",
                mm(step.depth_mm) + " exceeds the " + zone->key + " zone's maximum of " +
                    mm(zone->depth_max_mm));
        } else if (step.depth_mm < zone->depth_min_mm) {
            report_.notes.push_back(place(i, "depth_mm") + ": " + mm(step.depth_mm) +
                                    " is below the " + zone->key + " zone's usual range (" +
                                    format_number(zone->depth_min_mm) + " to " +
                                    mm(zone->depth_max_mm) + ")");
        }
        if (options_.device.device_class == DeviceClass::AtHome &&
            step.depth_mm > options_.device.at_home_depth_cap_mm) {
            add(i, "depth_mm", depth, format_number(options_.device.at_home_depth_cap_mm), "mm",
                mm(step.depth_mm) + " exceeds the at-home device class's maximum of " +
                    mm(options_.device.at_home_depth_cap_mm));
        }
        if (limit && step.depth_mm > *limit + 1e-9) {
            add(i, "depth_mm", depth, format_number(*limit), "mm",
                mm(step.depth_mm) + " exceeds the session depth limit of " + mm(*limit));
        }
        if (pen.capabilities) {
            const Capabilities& caps = *pen.capabilities;
            if (step.depth_mm > caps.depth_max_mm) {
                add(i, "depth_mm", depth, format_number(caps.depth_max_mm), "mm",
                    mm(step.depth_mm) + " exceeds the pen's maximum of " + mm(caps.depth_max_mm));
            } else if (step.depth_mm < caps.depth_min_mm) {
                add(i, "depth_mm", depth, format_number(caps.depth_min_mm), "mm",
                    mm(step.depth_mm) + " is below the pen's minimum of " + mm(caps.depth_min_mm));
            } else if (caps.depth_step_mm > 0) {
                const double steps = step.depth_mm / caps.depth_step_mm;
                if (std::fabs(steps - std::round(steps)) > 1e-6) {
                    add(i, "depth_mm", depth, format_number(caps.depth_step_mm), "mm",
                        mm(step.depth_mm) + " is not a multiple of the pen's depth step of " +
                            mm(caps.depth_step_mm));
                }
            }
        }
    }

    void check_speed(std::size_t i, const RecipeStep& step, const PenFacts& pen) {
        if (!pen.capabilities) return;
        const Capabilities& caps = *pen.capabilities;
        const std::string speed = format_number(step.speed_hz);
        if (step.speed_hz > caps.speed_max_hz) {
            add(i, "speed_hz", speed, format_number(caps.speed_max_hz), "Hz",
                speed + " Hz exceeds the pen's maximum of " + format_number(caps.speed_max_hz) +
                    " Hz");
        } else if (step.speed_hz < caps.speed_min_hz) {
            add(i, "speed_hz", speed, format_number(caps.speed_min_hz), "Hz",
                speed + " Hz is below the pen's minimum of " + format_number(caps.speed_min_hz) +
                    " Hz");
        }
    }

    void check_module(std::size_t i, const ModuleSettings& settings, const PenFacts& pen) {
        const std::string field = "modules." + settings.module;
        std::optional<detail::ModuleTarget> target;
        if (pen.modules) {
            std::string why;
            target = detail::resolve_on_pen(settings.module, *pen.modules, *pen.capabilities, why);
            if (!target) {
                add(i, field, settings.module, "", "", why);
                return;
            }
        } else {
            std::vector<ModuleDescriptor> known = options_.descriptors;
            target = detail::resolve_offline(settings.module, known);
            if (!target) {
                if (options_.device.device_class == DeviceClass::AtHome) {
                    add(i, field, settings.module, "", "",
                        "module '" + settings.module +
                            "' has no descriptor here, so it cannot be shown to deliver no "
                            "energy (refused in the at-home device class)");
                } else {
                    report_.notes.push_back(place(i, field) + ": no descriptor of module '" +
                                            settings.module +
                                            "' here; its values are checked against the pen");
                }
                return;
            }
        }
        const bool builtin = target->kind != detail::ModuleTarget::Kind::Module;
        const std::string energy =
            builtin ? std::string("enabled, ") + (target->name == "rf" ? "power" : "irradiance")
                    : detail::energy_parameters(*target->descriptor);
        if (options_.device.device_class == DeviceClass::AtHome && !energy.empty()) {
            add(i, field, settings.module, "no energy-delivering modules", "",
                "module '" + settings.module + "' delivers energy (" + energy +
                    " energy class): refused in the at-home device class");
        }
        for (const auto& problem :
             detail::check_values(*target, settings, pen.modules ? pen.capabilities : nullptr)) {
            add(i, field + (problem.param.empty() ? "" : "." + problem.param), problem.value,
                problem.limit, problem.unit, problem.message);
        }
    }

    const Recipe& recipe_;
    const ValidationOptions& options_;
    ValidationReport report_;
};

}  // namespace

namespace detail {
ValidationReport validate_with(const Recipe& recipe, const ValidationOptions& options,
                               std::optional<double> depth_limit_mm,
                               const Capabilities* capabilities,
                               const std::vector<Module>* modules) {
    return Checker(recipe, options).run(depth_limit_mm, PenFacts{capabilities, modules});
}
}  // namespace detail

ValidationReport validate(const Recipe& recipe, const ValidationOptions& options) {
    return Checker(recipe, options).run(options.depth_limit_mm, PenFacts{});
}

}  // namespace penlink::treatment
