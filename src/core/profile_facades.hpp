// The typed RF and LED calls as thin facades over the generic module calls: when a fitted
// module declares the "rf" or "led" profile (docs/modules.md, "Standard profiles"),
// Pen::set_rf_mode / set_led_mode become one atomic set_params on that module, with the mode
// translated here into the profile's keys. Without such a module the legacy SetRf / SetLed
// messages stay in use (core/limits.hpp).
//
// Pure functions of their arguments; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "penlink/module.hpp"
#include "penlink/types.hpp"

namespace penlink::core {

/// The module set_rf_mode drives: the first fitted (lowest slot) that declares "rf", whatever
/// its key. nullopt: none is fitted, and the legacy SetRf path applies.
std::optional<Module> rf_profile_module(const std::vector<Module>& modules);

/// The module set_led_mode drives: of the fitted modules that declare "led", the first whose
/// `wavelength` parameter accepts mode.wavelength_nm (a one-colour head has min = max; a tunable
/// one a range), as the legacy wavelength picked a channel. nullopt: none declares "led", and
/// the legacy SetLed path applies. Throws NotSupportedError naming the fitted wavelengths if
/// LED modules are fitted but none has this one.
std::optional<Module> led_profile_module(const std::vector<Module>& modules, const LedMode& mode);

/// The other LED heads set_led_mode switches off before it sets `chosen`: every fitted module
/// of the "led" profile but chosen, in slot order. The LED is one light, as the built-in
/// add-on's channels are: a mode for one wavelength leaves no other colour on.
std::vector<Module> other_led_modules(const std::vector<Module>& modules, const Module& chosen);

/// What switches one LED head off: its energy parameter `enabled` back to its default, a
/// safing request the pen accepts in every state (docs/protocol.md, Supersession).
std::vector<ParamSetting> led_off_settings();

/// The mode as "rf" profile settings, in profile order: enabled, polarity (its profile label),
/// frequency (kHz), power (W), pulse (ms). Throws InvalidArgumentError like set_rf_mode for a
/// polarity outside the enum or a power that is not finite; the ranges are the module's, checked
/// by set_params.
std::vector<ParamSetting> rf_profile_settings(const RfMode& mode);

/// The mode as "led" profile settings, in profile order: enabled, wavelength (nm), irradiance
/// (mW/cm2), mode ("continuous" or "pulsed"), and only when pulsed pulse_rate (Hz) and duty (%),
/// so a continuous mode's unused pulse fields are neither checked nor sent (the module keeps
/// its own). Throws InvalidArgumentError like set_led_mode for a value that is not finite.
std::vector<ParamSetting> led_profile_settings(const LedMode& mode);

/// "key@slot": names exactly this module for Pen::set_params, even with two of one key fitted.
std::string module_selector(const Module& module);

}  // namespace penlink::core
