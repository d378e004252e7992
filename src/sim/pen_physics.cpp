// PenModel's physics: how the pen's measurable quantities evolve over an explicit time step.
// The coefficients are picked so a session of minutes shows visible but plausible change
// (a 150 Hz run warms the pen by about 9 C; full RF adds about 14 C; a full battery lasts
// hours), and every integration is stable for any step length.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "sim/pen_model.hpp"

namespace penlink::sim {
namespace {

constexpr double kMicrosPerSecond = 1e6;

/// Wire counters are u32: saturate rather than wrap (or overflow the conversion) on a pen that
/// runs long enough to pass 2^32 units.
std::uint32_t saturate_u32(double value) {
    constexpr double kMax = 4294967295.0;
    return static_cast<std::uint32_t>(std::clamp(value, 0.0, kMax));
}

// Battery drain in percent per second.
constexpr double kDrainIdlePctPerS = 0.0005;
constexpr double kDrainPctPerS_PerHz = 0.00005;
constexpr double kDrainPctPerS_PerRfW = 0.001;
constexpr double kDrainPctPerS_PerLedMwCm2 = 0.00002;

// First-order thermal model: heat input in C/s, relaxing toward ambient with this constant.
constexpr double kThermalTimeConstantS = 120.0;
constexpr double kHeatCPerS_PerHz = 0.0005;
constexpr double kHeatCPerS_PerRfW = 0.006;
constexpr double kHeatCPerS_PerLedMwCm2 = 0.00005;

// RF tissue impedance: a mean-reverting random walk kept inside a plausible band.
constexpr double kImpedanceMeanOhm = 300.0;
constexpr double kImpedanceMinOhm = 200.0;
constexpr double kImpedanceMaxOhm = 400.0;
constexpr double kImpedanceReversionPerS = 0.2;
constexpr double kImpedanceNoiseOhmPerSqrtS = 25.0;

double move_toward(double value, double target, double max_change) {
    if (value < target) return std::min(target, value + max_change);
    return std::max(target, value - max_change);
}

double led_duty(const protocol::SetLed& led) {
    return led.mode == protocol::LedMode::Pulsed ? led.duty_permille / 1000.0 : 1.0;
}

}  // namespace

void PenModel::step(std::uint32_t dt_us) {
    if (dt_us == 0) return;
    uptime_us_ += dt_us;
    since_host_us_ += dt_us;
    const double dt_s = dt_us / kMicrosPerSecond;

    // The watchdog acts before the physics so no energy is delivered past its deadline.
    if (watchdog_armed() && since_host_us_ >= std::uint64_t{config_.info.watchdog_ms} * 1000) {
        queue_event(protocol::EventKind::WatchdogExpired, config_.info.watchdog_ms);
        raise_fault(protocol::kFaultWatchdog);
    }
    step_actuators(dt_s);
    step_energy(dt_s);
    step_protection();
    modules_.step(dt_s, conditions());
}

void PenModel::step_actuators(double dt_s) {
    physics_.depth_um = move_toward(physics_.depth_um, depth_set_um_,
                                    config_.depth_travel_mm_per_s * 1000.0 * dt_s);

    const double target_hz = running_ ? speed_set_chz_ / 100.0 : 0.0;
    const double previous_hz = physics_.speed_hz;
    physics_.speed_hz = move_toward(previous_hz, target_hz, config_.speed_ramp_hz_per_s * dt_s);

    // Strokes follow the actual (ramping) speed, integrated with the trapezoid rule.
    if (cartridge_id_ != 0 && (previous_hz > 0.0 || physics_.speed_hz > 0.0)) {
        const double strokes =
            physics_.stroke_fraction + (previous_hz + physics_.speed_hz) / 2.0 * dt_s;
        const double whole = std::floor(strokes);
        physics_.stroke_fraction = strokes - whole;
        const double total = strokes_ + whole;
        strokes_ = total >= stroke_limit_ ? stroke_limit_ : static_cast<std::uint32_t>(total);
        if (strokes_ >= stroke_limit_) {
            physics_.stroke_fraction = 0.0;
            raise_fault(protocol::kFaultCartridgeExhausted);
        }
    }
}

void PenModel::step_energy(double dt_s) {
    const double led_mw_cm2 = led_.enabled ? led_.irradiance_dmw_cm2 / 10.0 * led_duty(led_) : 0.0;

    // RF energy counts only when it reaches the skin: enabled and the needle running.
    if (rf_.enabled && running_) physics_.rf_energy_mj += rf_.power_mw * dt_s;
    // mW/cm2 * s = mJ/cm2 = 1000 uJ/cm2
    physics_.led_dose_uj_cm2 += led_mw_cm2 * dt_s * 1000.0;

    physics_.battery_pct =
        std::clamp(physics_.battery_pct - battery_drain_pct_per_s() * dt_s, 0.0, 100.0);

    const double steady_c = steady_temperature_c();
    // Exact solution of dT/dt = heat - (T - ambient)/tau over dt, stable for any step.
    physics_.temperature_c =
        steady_c + (physics_.temperature_c - steady_c) * std::exp(-dt_s / kThermalTimeConstantS);

    // Exact transition of the mean-reverting walk over dt (an Ornstein-Uhlenbeck process), so
    // one long step of a resting pen draws from the distribution many short ones reach.
    const double decay = std::exp(-kImpedanceReversionPerS * dt_s);
    const double spread = std::sqrt((1.0 - decay * decay) / (2.0 * kImpedanceReversionPerS));
    const double noise = next_noise() * kImpedanceNoiseOhmPerSqrtS * spread;
    physics_.rf_impedance_ohm = std::clamp(
        kImpedanceMeanOhm + (physics_.rf_impedance_ohm - kImpedanceMeanOhm) * decay + noise,
        kImpedanceMinOhm, kImpedanceMaxOhm);
}

double PenModel::battery_drain_pct_per_s() const {
    const double rf_w = rf_.enabled ? rf_.power_mw / 1000.0 : 0.0;
    const double led_mw_cm2 = led_.enabled ? led_.irradiance_dmw_cm2 / 10.0 * led_duty(led_) : 0.0;
    return kDrainIdlePctPerS + kDrainPctPerS_PerHz * physics_.speed_hz +
           kDrainPctPerS_PerRfW * rf_w + kDrainPctPerS_PerLedMwCm2 * led_mw_cm2 + drain_pct_per_s_ -
           (charging_ ? kChargePctPerS : 0.0);
}

double PenModel::steady_temperature_c() const {
    const double rf_w = rf_.enabled ? rf_.power_mw / 1000.0 : 0.0;
    const double led_mw_cm2 = led_.enabled ? led_.irradiance_dmw_cm2 / 10.0 * led_duty(led_) : 0.0;
    const double heat = kHeatCPerS_PerHz * physics_.speed_hz + kHeatCPerS_PerRfW * rf_w +
                        kHeatCPerS_PerLedMwCm2 * led_mw_cm2 + heating_c_per_s_;
    return config_.ambient_temperature_c + heat * kThermalTimeConstantS;
}

bool PenModel::at_rest() const {
    return !running_ && physics_.speed_hz == 0.0 && physics_.depth_um == depth_set_um_;
}

std::uint64_t PenModel::next_self_change_us() const {
    constexpr std::uint64_t kNever = UINT64_MAX;
    std::uint64_t due = kNever;
    const auto after_s = [this](double seconds) {
        // Rounded up, so the step that reaches it is past the crossing, not just short of it.
        return uptime_us_ + static_cast<std::uint64_t>(std::ceil(std::max(0.0, seconds) * 1e6));
    };
    if (watchdog_armed()) {
        const std::uint64_t limit_us = std::uint64_t{config_.info.watchdog_ms} * 1000;
        due =
            std::min(due, uptime_us_ + (limit_us > since_host_us_ ? limit_us - since_host_us_ : 0));
    }
    const std::uint32_t battery_bit = 1u << protocol::kFaultBatteryCritical;
    const double drain = battery_drain_pct_per_s();
    if (!charging_ && (fault_bits_ & battery_bit) == 0 && drain > 0.0) {
        due = std::min(due, after_s((physics_.battery_pct - kBatteryCriticalPct) / drain));
    }
    const std::uint32_t heat_bit = 1u << protocol::kFaultOverTemperature;
    const double steady_c = steady_temperature_c();
    const double limit_c = config_.over_temperature_c;
    if ((fault_bits_ & heat_bit) == 0) {
        if (physics_.temperature_c > limit_c) {
            due = std::min(due, uptime_us_);
        } else if (steady_c > limit_c) {
            // T(t) = steady + (T0 - steady) exp(-t / tau) passes limit at this t.
            const double t_s = kThermalTimeConstantS *
                               std::log((physics_.temperature_c - steady_c) / (limit_c - steady_c));
            due = std::min(due, after_s(t_s));
        }
    }
    return due;
}

void PenModel::step_protection() {
    // On the charger a low battery is not critical: the pen runs from the supply.
    if (physics_.battery_pct < kBatteryCriticalPct && !charging_) {
        raise_fault(protocol::kFaultBatteryCritical);
    }
    if (physics_.temperature_c > config_.over_temperature_c) {
        raise_fault(protocol::kFaultOverTemperature);
    }
}

double PenModel::next_noise() {
    // splitmix64: tiny, portable and fully determined by the seed (std distributions are not).
    auto next = [this] {
        std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return static_cast<double>((z ^ (z >> 31)) >> 11) / 9007199254740992.0;  // [0, 1)
    };
    return next() + next() - 1.0;  // triangular on (-1, 1)
}

void PenModel::snapshot(protocol::Status& out) const {
    out.status_seq = 0;
    out.timestamp_ms = uptime_ms();
    out.state = state();
    out.depth_set_um = depth_set_um_;
    out.depth_actual_um = static_cast<std::uint16_t>(std::lround(physics_.depth_um));
    out.speed_set_chz = speed_set_chz_;
    out.speed_actual_chz = static_cast<std::uint16_t>(std::lround(physics_.speed_hz * 100.0));
    out.battery_pct = static_cast<std::uint8_t>(std::lround(physics_.battery_pct));
    out.temperature_cdeg = static_cast<std::int16_t>(std::lround(physics_.temperature_c * 100.0));
    out.cartridge_id = cartridge_id_;
    out.cartridge_strokes = strokes_;
    out.cartridge_stroke_limit = cartridge_id_ != 0 ? stroke_limit_ : 0;

    const bool rf_delivering = rf_.enabled && running_;
    out.rf_flags = static_cast<std::uint8_t>((rf_.enabled ? 1 : 0) | (rf_delivering ? 2 : 0));
    out.rf_impedance_ohm = static_cast<std::uint16_t>(std::lround(physics_.rf_impedance_ohm));
    out.rf_energy_mj = saturate_u32(physics_.rf_energy_mj);

    bool emitting = led_.enabled;
    if (emitting && led_.mode == protocol::LedMode::Pulsed) {
        // Phase in integers (1 cycle = 1e8 us*chz) so the on/off edges fall exactly.
        constexpr std::uint64_t kCycle = 100'000'000;
        const std::uint64_t phase_permille =
            uptime_us_ * led_.pulse_rate_chz % kCycle * 1000 / kCycle;
        emitting = phase_permille < led_.duty_permille;
    }
    out.led_flags = static_cast<std::uint8_t>((led_.enabled ? 1 : 0) | (emitting ? 2 : 0));
    out.led_wavelength_nm = led_.enabled ? led_.wavelength_nm : 0;
    out.led_dose_uj_cm2 = saturate_u32(physics_.led_dose_uj_cm2);
    out.fault_bits = fault_bits_;
    out.session_id = session_id_;
    out.depth_limit_um = depth_limit_um_;
    out.telemetry_count = 0;
    modules_.fill_telemetry(out);
}

}  // namespace penlink::sim
