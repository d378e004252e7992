// What a run delivers, accumulated from status frames on the pen's callback thread: strokes,
// RF energy, LED dose, module running totals and the depth range, per step and per run. Fixed
// storage, so a status frame allocates nothing.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "penlink/module.hpp"
#include "penlink/types.hpp"

namespace penlink::treatment::detail {

/// Sums over a span of frames (a step, or the whole run).
struct MeterTotals {
    static constexpr std::size_t kMaxChannels = 32;
    double strokes = 0.0;
    double rf_energy_j = 0.0;
    double led_dose_j_cm2 = 0.0;
    std::array<double, kMaxChannels> channels{};
    bool have_set = false;
    double depth_set_min_mm = 0.0, depth_set_max_mm = 0.0;
    bool have_actual = false;
    double depth_actual_min_mm = 0.0, depth_actual_max_mm = 0.0;
};

class StepMeter {
public:
    /// The module channels worth summing: those in J or J/cm2 (the standard profiles' energy
    /// and dose are running totals). Call before frames arrive.
    void configure(const std::vector<Module>& modules);
    /// Adds what changed since the previous frame.
    void on_status(const Status& status);
    /// Starts the step's sums from zero.
    void begin_step();
    MeterTotals step() const;
    MeterTotals run() const;
    /// "module.channel" -> total, for the channels configured.
    std::map<std::string, double> named(const MeterTotals& totals) const;
    std::optional<Status> latest() const;

private:
    struct Channel {
        std::int32_t slot = 0;
        std::int32_t id = 0;
        double scale = 1.0;
        bool rf_energy = false;  // an "rf" profile module's energy: counts as RF energy
        bool led_dose = false;   // an "led" profile module's dose: counts as LED dose
        std::string name;
    };
    static void add_depths(MeterTotals& totals, const Status& status);

    mutable std::mutex mutex_;
    std::vector<Channel> channels_;  // fixed after configure()
    std::optional<Status> previous_;
    MeterTotals step_;
    MeterTotals run_;
};

}  // namespace penlink::treatment::detail
