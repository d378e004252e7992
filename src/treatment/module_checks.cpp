#include "module_checks.hpp"

#include <cmath>

#include "core/module_params.hpp"
#include "json_fields.hpp"
#include "modules/standard_texts.hpp"
#include "penlink/errors.hpp"

namespace penlink::treatment {

namespace {

// Every standard module (modules/*.json), parsed once.
const std::vector<std::shared_ptr<const ModuleDescriptor>>& standard_modules() {
    static const auto parsed = [] {
        std::vector<std::shared_ptr<const ModuleDescriptor>> all;
        for (const modules::StandardModuleText& file : modules::standard_module_texts()) {
            all.push_back(std::make_shared<const ModuleDescriptor>(
                parse_module_descriptor(std::string(file.text))));
        }
        return all;
    }();
    return parsed;
}

}  // namespace

std::vector<ModuleDescriptor> standard_descriptors() {
    std::vector<ModuleDescriptor> all;
    for (const auto& descriptor : standard_modules()) all.push_back(*descriptor);
    return all;
}

namespace detail {

std::shared_ptr<const ModuleDescriptor> standard_descriptor(const std::string& key) {
    for (const auto& descriptor : standard_modules()) {
        if (descriptor->key == key) return descriptor;
    }
    return nullptr;
}

std::string energy_parameters(const ModuleDescriptor& descriptor) {
    std::string keys;
    for (const ParamSpec& spec : descriptor.parameters) {
        if (spec.safety == SafetyClass::Energy) keys += (keys.empty() ? "" : ", ") + spec.key;
    }
    return keys;
}

namespace {

std::pair<std::string, std::optional<std::int32_t>> split_slot(const std::string& key) {
    const auto at = key.find('@');
    if (at == std::string::npos) return {key, std::nullopt};
    return {key.substr(0, at), key[at + 1] - '0'};
}

std::string fitted_list(const std::vector<Module>& fitted, const Capabilities& capabilities) {
    std::string list;
    for (const Module& module : fitted) {
        list += (list.empty() ? "" : ", ") + module.key() + "@" + std::to_string(module.slot());
    }
    if (capabilities.rf.fitted) list += std::string(list.empty() ? "" : ", ") + "rf (built in)";
    if (capabilities.led.fitted) list += std::string(list.empty() ? "" : ", ") + "led (built in)";
    return list.empty() ? "none" : list;
}

ModuleTarget module_target(const Module& module, const std::vector<Module>& fitted) {
    std::size_t same_key = 0;
    for (const Module& other : fitted) same_key += other.key() == module.key() ? 1 : 0;
    ModuleTarget target;
    target.kind = ModuleTarget::Kind::Module;
    target.name = same_key > 1 ? module.key() + "@" + std::to_string(module.slot()) : module.key();
    target.descriptor = std::make_shared<const ModuleDescriptor>(module.descriptor());
    target.slot = module.slot();
    return target;
}

}  // namespace

std::optional<ModuleTarget> resolve_on_pen(const std::string& key,
                                           const std::vector<Module>& fitted,
                                           const Capabilities& capabilities, std::string& why) {
    const auto [base, slot] = split_slot(key);
    for (const Module& module : fitted) {
        if (module.key() == base && (!slot || *slot == module.slot())) {
            return module_target(module, fitted);
        }
    }
    if (!slot && (base == "rf" || base == "led")) {
        for (const Module& module : fitted) {
            if (module.descriptor().has_profile(base)) return module_target(module, fitted);
        }
        if (base == "rf" && capabilities.rf.fitted) {
            return ModuleTarget{ModuleTarget::Kind::BuiltinRf, "rf", standard_descriptor("rf"), 0};
        }
        if (base == "led" && capabilities.led.fitted) {
            return ModuleTarget{ModuleTarget::Kind::BuiltinLed, "led", standard_descriptor("led"),
                                0};
        }
    }
    why = "no module '" + key + "' is fitted (fitted: " + fitted_list(fitted, capabilities) + ")";
    return std::nullopt;
}

std::optional<ModuleTarget> resolve_offline(const std::string& key,
                                            const std::vector<ModuleDescriptor>& descriptors) {
    const auto [base, slot] = split_slot(key);
    (void)slot;
    for (const auto& descriptor : descriptors) {
        if (descriptor.key == base) {
            return ModuleTarget{ModuleTarget::Kind::Module, key,
                                std::make_shared<const ModuleDescriptor>(descriptor), 1};
        }
    }
    if (base == "rf" || base == "led") {
        for (const auto& descriptor : descriptors) {
            if (descriptor.has_profile(base)) {
                return ModuleTarget{ModuleTarget::Kind::Module, key,
                                    std::make_shared<const ModuleDescriptor>(descriptor), 1};
            }
        }
        return ModuleTarget{ModuleTarget::Kind::Module, key, standard_descriptor(base), 1};
    }
    return std::nullopt;
}

namespace {

const ParamValue* find_value(const ModuleSettings& settings, const char* key) {
    for (const auto& setting : settings.values) {
        if (setting.key == key) return &setting.value;
    }
    return nullptr;
}

double number_or(const ModuleSettings& settings, const char* key, double fallback) {
    const ParamValue* value = find_value(settings, key);
    return value && value->kind() == ParamValue::Kind::Number ? value->as_number() : fallback;
}

ValueProblem range_problem(const std::string& module, const char* key, double value,
                           const char* bound, double limit, const char* unit) {
    const std::string name = module + "." + key;
    return {key, format_number(value), format_number(limit), unit,
            name + " " + format_number(value) + " " + unit + " exceeds the built-in add-on's " +
                bound + " of " + format_number(limit) + " " + unit};
}

void check_builtin_rf(const ModuleSettings& settings, const RfCapabilities& rf,
                      std::vector<ValueProblem>& problems) {
    const double power = number_or(settings, "power", 0.0);
    if (power > rf.power_max_w) {
        problems.push_back(range_problem("rf", "power", power, "maximum", rf.power_max_w, "W"));
    }
    const double frequency = number_or(settings, "frequency", 1000.0);
    if (frequency < rf.frequency_min_khz) {
        problems.push_back(
            range_problem("rf", "frequency", frequency, "minimum", rf.frequency_min_khz, "kHz"));
    } else if (frequency > rf.frequency_max_khz) {
        problems.push_back(
            range_problem("rf", "frequency", frequency, "maximum", rf.frequency_max_khz, "kHz"));
    }
    const double pulse = number_or(settings, "pulse", 100.0);
    if (pulse < rf.pulse_min_ms) {
        problems.push_back(range_problem("rf", "pulse", pulse, "minimum", rf.pulse_min_ms, "ms"));
    } else if (pulse > rf.pulse_max_ms) {
        problems.push_back(range_problem("rf", "pulse", pulse, "maximum", rf.pulse_max_ms, "ms"));
    }
    if (const ParamValue* polarity = find_value(settings, "polarity");
        polarity && polarity->kind() == ParamValue::Kind::Label) {
        const bool mono = polarity->as_label() == "monopolar";
        if ((mono && !rf.monopolar) || (!mono && !rf.bipolar)) {
            problems.push_back({"polarity", polarity->as_label(),
                                rf.monopolar ? "monopolar" : "bipolar", "",
                                "rf.polarity " + polarity->as_label() +
                                    " is not supported by the built-in add-on"});
        }
    }
}

void check_builtin_led(const ModuleSettings& settings, const LedCapabilities& led,
                       std::vector<ValueProblem>& problems) {
    const double wavelength = number_or(settings, "wavelength", 633.0);
    const LedChannel* channel = nullptr;
    std::string channels;
    for (const LedChannel& candidate : led.channels) {
        if (candidate.wavelength_nm == wavelength) channel = &candidate;
        channels += (channels.empty() ? "" : ", ") + std::to_string(candidate.wavelength_nm);
    }
    if (!channel) {
        problems.push_back({"wavelength", format_number(wavelength), channels, "nm",
                            "led.wavelength " + format_number(wavelength) +
                                " nm is not a channel of the built-in add-on (" + channels +
                                " nm)"});
        return;
    }
    const double irradiance = number_or(settings, "irradiance", 0.0);
    if (irradiance > channel->max_irradiance_mw_cm2) {
        problems.push_back(range_problem("led", "irradiance", irradiance, "maximum",
                                         channel->max_irradiance_mw_cm2, "mW/cm2"));
    }
    const ParamValue* mode = find_value(settings, "mode");
    if (mode && mode->kind() == ParamValue::Kind::Label && mode->as_label() == "pulsed") {
        const double rate = number_or(settings, "pulse_rate", 10.0);
        if (rate < led.pulse_rate_min_hz) {
            problems.push_back(
                range_problem("led", "pulse_rate", rate, "minimum", led.pulse_rate_min_hz, "Hz"));
        } else if (rate > led.pulse_rate_max_hz) {
            problems.push_back(
                range_problem("led", "pulse_rate", rate, "maximum", led.pulse_rate_max_hz, "Hz"));
        }
    }
}

}  // namespace

std::vector<ValueProblem> check_values(const ModuleTarget& target, const ModuleSettings& settings,
                                       const Capabilities* capabilities) {
    std::vector<ValueProblem> problems;
    const ModuleDescriptor& descriptor = *target.descriptor;
    const std::string module_name =
        target.kind == ModuleTarget::Kind::Module ? descriptor.key : target.name;
    // One value at a time, so every bad one is reported, each in the descriptor's terms.
    for (const ParamSetting& setting : settings.values) {
        const Module module(target.slot, descriptor.vendor_id, descriptor.model_id, "1.0.0",
                            target.descriptor);
        try {
            core::build_set_params(module, {setting});
        } catch (const OutOfRangeError& error) {
            problems.push_back({setting.key, format_number(error.value()),
                                format_number(error.limit()), error.unit(), error.what()});
        } catch (const Error& error) {
            std::string message = error.what();
            std::string limit;
            if (!descriptor.find_parameter(setting.key)) {
                for (const ParamSpec& spec : descriptor.parameters) {
                    limit += (limit.empty() ? "" : ", ") + spec.key;
                }
                message += " (" + module_name + " has: " + limit + ")";
            }
            problems.push_back({setting.key, setting.value.to_string(), limit, "", message});
        }
    }
    if (!problems.empty() || !capabilities) return problems;
    if (target.kind == ModuleTarget::Kind::BuiltinRf) {
        check_builtin_rf(settings, capabilities->rf, problems);
    } else if (target.kind == ModuleTarget::Kind::BuiltinLed) {
        check_builtin_led(settings, capabilities->led, problems);
    }
    return problems;
}

RfMode rf_mode_of(const ModuleSettings& settings) {
    RfMode mode;
    if (const ParamValue* enabled = find_value(settings, "enabled")) {
        mode.enabled = enabled->as_bool();
    }
    if (const ParamValue* polarity = find_value(settings, "polarity")) {
        mode.polarity =
            polarity->as_label() == "monopolar" ? RfPolarity::Monopolar : RfPolarity::Bipolar;
    }
    mode.frequency_khz =
        static_cast<std::int32_t>(std::lround(number_or(settings, "frequency", 1000.0)));
    mode.power_w = number_or(settings, "power", 0.0);
    mode.pulse_ms = static_cast<std::int32_t>(std::lround(number_or(settings, "pulse", 100.0)));
    return mode;
}

LedMode led_mode_of(const ModuleSettings& settings) {
    LedMode mode;
    if (const ParamValue* enabled = find_value(settings, "enabled")) {
        mode.enabled = enabled->as_bool();
    }
    mode.wavelength_nm =
        static_cast<std::int32_t>(std::lround(number_or(settings, "wavelength", 633.0)));
    mode.irradiance_mw_cm2 = number_or(settings, "irradiance", 0.0);
    const ParamValue* pulsed = find_value(settings, "mode");
    mode.pulsed =
        pulsed && pulsed->kind() == ParamValue::Kind::Label && pulsed->as_label() == "pulsed";
    mode.pulse_rate_hz = number_or(settings, "pulse_rate", 10.0);
    mode.duty_percent = number_or(settings, "duty", 50.0);
    return mode;
}

}  // namespace detail
}  // namespace penlink::treatment
