#include "core/limits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "penlink/errors.hpp"

namespace penlink::core {
namespace {

[[noreturn]] void out_of_range(const std::string& what, double value, const char* relation,
                               const std::string& bound_name, double limit, const std::string& unit,
                               int decimals) {
    const auto show = [&](double v) {
        // Fixed decimals read best on a pen's scale; a value far beyond it reads best as 1e+308.
        const bool fixed = decimals >= 0 && std::fabs(v) < 1e9;
        return (fixed ? format_fixed(v, decimals) : format_number(v)) + " " + unit;
    };
    throw OutOfRangeError(
        what + " " + show(value) + " " + relation + " " + bound_name + " of " + show(limit), value,
        limit, unit);
}

/// NaN and infinity compare false with every limit, so they would slip through check_between
/// and reach a conversion to wire integers (undefined behaviour): refuse them first.
void require_finite(const std::string& what, double value, const std::string& unit) {
    if (!std::isfinite(value)) {
        throw InvalidArgumentError(what + " " + format_number(value) + " " + unit +
                                   " is not a finite number");
    }
}

void require_polarity(RfPolarity polarity) {
    if (polarity != RfPolarity::Monopolar && polarity != RfPolarity::Bipolar) {
        throw InvalidArgumentError("RF polarity " + std::to_string(static_cast<int>(polarity)) +
                                   " is not one of monopolar (0), bipolar (1)");
    }
}

void check_between(const std::string& what, double value, double min, double max,
                   const std::string& unit, int decimals = -1) {
    // Allow for the rounding of a double to the wire's integer units.
    const double slack = 1e-9 * std::max(1.0, std::fabs(max));
    if (value > max + slack)
        out_of_range(what, value, "exceeds", "the pen's maximum", max, unit, decimals);
    if (value < min - slack)
        out_of_range(what, value, "is below", "the pen's minimum", min, unit, decimals);
}

}  // namespace

std::string format_fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string format_number(double value) {
    // printf shows a NaN with its sign bit set as "-nan" (C#'s double.NaN is one); a NaN has
    // no sign a reader could use.
    if (std::isnan(value)) return "nan";
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

void check_depth_limit(Depth limit, const Capabilities& caps) {
    check_between("depth limit", limit.in_mm(), caps.depth_min_mm, caps.depth_max_mm, "mm", 2);
}

protocol::SetDepth check_depth(Depth depth, const Capabilities& caps, Depth user_limit) {
    const double mm = depth.in_mm();
    // Two decimals as on a pen's display, unless that would hide the value (-0.001 mm).
    const int decimals = depth.in_um() % 10 == 0 ? 2 : 3;
    check_between("depth", mm, caps.depth_min_mm, caps.depth_max_mm, "mm", decimals);
    if (depth.in_um() > user_limit.in_um()) {
        out_of_range("depth", mm, "exceeds", "this session's depth limit", user_limit.in_mm(), "mm",
                     2);
    }
    const auto step_um = static_cast<std::int32_t>(std::lround(caps.depth_step_mm * 1000.0));
    const auto min_um = static_cast<std::int32_t>(std::lround(caps.depth_min_mm * 1000.0));
    if (step_um > 0 && (depth.in_um() - min_um) % step_um != 0) {
        throw OutOfRangeError("depth " + format_fixed(mm, 3) +
                                  " mm is not a multiple of the pen's " +
                                  format_fixed(caps.depth_step_mm, 2) + " mm step",
                              mm, caps.depth_step_mm, "mm");
    }
    return protocol::SetDepth{static_cast<std::uint16_t>(depth.in_um())};
}

protocol::SetSpeed check_speed(Speed speed, const Capabilities& caps) {
    check_between("speed", speed.in_hz(), caps.speed_min_hz, caps.speed_max_hz, "Hz");
    return protocol::SetSpeed{static_cast<std::uint16_t>(speed.in_chz())};
}

void check_mode_values(const RfMode& mode) {
    require_polarity(mode.polarity);
    require_finite("RF power", mode.power_w, "W");
}

void check_mode_values(const LedMode& mode) {
    // Checked even when continuous: a NaN in an unused field is still a caller's bug.
    require_finite("LED irradiance at " + std::to_string(mode.wavelength_nm) + " nm",
                   mode.irradiance_mw_cm2, "mW/cm2");
    require_finite("LED pulse rate", mode.pulse_rate_hz, "Hz");
    require_finite("LED duty cycle", mode.duty_percent, "%");
}

protocol::SetRf check_rf(const RfMode& mode, const Capabilities& caps) {
    check_mode_values(mode);
    const auto& rf = caps.rf;
    if (!rf.fitted) throw NotSupportedError("this pen has no RF add-on fitted");
    if (mode.polarity == RfPolarity::Monopolar && !rf.monopolar)
        throw NotSupportedError("this pen's RF add-on does not support monopolar mode");
    if (mode.polarity == RfPolarity::Bipolar && !rf.bipolar)
        throw NotSupportedError("this pen's RF add-on does not support bipolar mode");
    check_between("RF frequency", mode.frequency_khz, rf.frequency_min_khz, rf.frequency_max_khz,
                  "kHz");
    check_between("RF power", mode.power_w, 0.0, rf.power_max_w, "W");
    check_between("RF pulse length", mode.pulse_ms, rf.pulse_min_ms, rf.pulse_max_ms, "ms");
    protocol::SetRf out;
    out.enabled = mode.enabled;
    out.polarity = mode.polarity == RfPolarity::Monopolar ? protocol::RfPolarity::Monopolar
                                                          : protocol::RfPolarity::Bipolar;
    out.frequency_khz = static_cast<std::uint16_t>(mode.frequency_khz);
    out.power_mw = static_cast<std::uint32_t>(std::lround(mode.power_w * 1000.0));
    out.pulse_ms = static_cast<std::uint16_t>(mode.pulse_ms);
    return out;
}

protocol::SetLed check_led(const LedMode& mode, const Capabilities& caps) {
    check_mode_values(mode);
    const auto& led = caps.led;
    if (!led.fitted) throw NotSupportedError("this pen has no LED add-on fitted");
    const LedChannel* channel = nullptr;
    std::string fitted;
    for (const auto& candidate : led.channels) {
        if (candidate.wavelength_nm == mode.wavelength_nm) channel = &candidate;
        fitted += (fitted.empty() ? "" : ", ") + std::to_string(candidate.wavelength_nm);
    }
    if (!channel) {
        throw NotSupportedError("LED wavelength " + std::to_string(mode.wavelength_nm) +
                                " nm is not fitted on this pen (fitted: " + fitted + " nm)");
    }
    check_between("LED irradiance at " + std::to_string(mode.wavelength_nm) + " nm",
                  mode.irradiance_mw_cm2, 0.0, channel->max_irradiance_mw_cm2, "mW/cm2");
    if (mode.pulsed) {
        check_between("LED pulse rate", mode.pulse_rate_hz, led.pulse_rate_min_hz,
                      led.pulse_rate_max_hz, "Hz");
        check_between("LED duty cycle", mode.duty_percent, 0.1, 100.0, "%");
    }
    protocol::SetLed out;
    out.enabled = mode.enabled;
    out.wavelength_nm = static_cast<std::uint16_t>(mode.wavelength_nm);
    out.irradiance_dmw_cm2 = static_cast<std::uint16_t>(std::lround(mode.irradiance_mw_cm2 * 10.0));
    out.mode = mode.pulsed ? protocol::LedMode::Pulsed : protocol::LedMode::Continuous;
    if (mode.pulsed) {
        out.pulse_rate_chz = static_cast<std::uint32_t>(std::lround(mode.pulse_rate_hz * 100.0));
        out.duty_permille = static_cast<std::uint16_t>(std::lround(mode.duty_percent * 10.0));
    }
    return out;
}

std::uint16_t check_status_rate(std::int32_t rate_hz, const Capabilities& caps) {
    check_between("status rate", rate_hz, 1, caps.max_status_rate_hz, "Hz");
    return static_cast<std::uint16_t>(rate_hz);
}

}  // namespace penlink::core

namespace penlink::detail {

void refuse_unit_value(const char* what, double value, const char* unit, double lowest,
                       double highest, int decimals) {
    core::require_finite(what, value, unit);
    if (value > 0) {
        core::out_of_range(what, value, "exceeds", "the largest value penlink can hold", highest,
                           unit, decimals);
    }
    core::out_of_range(what, value, "is below", "the smallest value penlink can hold", lowest, unit,
                       decimals);
}

}  // namespace penlink::detail
