#include "step_meter.hpp"

#include <algorithm>

namespace penlink::treatment::detail {

void StepMeter::configure(const std::vector<Module>& modules) {
    std::lock_guard lock(mutex_);
    channels_.clear();
    for (const Module& module : modules) {
        for (const TelemetrySpec& spec : module.descriptor().telemetry) {
            if (spec.unit != "J" && spec.unit != "J/cm2") continue;
            if (channels_.size() == MeterTotals::kMaxChannels) break;
            Channel channel;
            channel.slot = module.slot();
            channel.id = spec.id;
            channel.scale = spec.scale;
            channel.rf_energy = module.descriptor().has_profile("rf") && spec.key == "energy";
            channel.led_dose = module.descriptor().has_profile("led") && spec.key == "dose";
            channel.name = module.key() + "." + spec.key;
            channels_.push_back(std::move(channel));
        }
    }
}

void StepMeter::add_depths(MeterTotals& totals, const Status& status) {
    if (!totals.have_set) {
        totals.have_set = true;
        totals.depth_set_min_mm = totals.depth_set_max_mm = status.depth_set_mm;
    }
    totals.depth_set_min_mm = std::min(totals.depth_set_min_mm, status.depth_set_mm);
    totals.depth_set_max_mm = std::max(totals.depth_set_max_mm, status.depth_set_mm);
    if (status.state != PenState::Running) return;
    if (!totals.have_actual) {
        totals.have_actual = true;
        totals.depth_actual_min_mm = totals.depth_actual_max_mm = status.depth_actual_mm;
    }
    totals.depth_actual_min_mm = std::min(totals.depth_actual_min_mm, status.depth_actual_mm);
    totals.depth_actual_max_mm = std::max(totals.depth_actual_max_mm, status.depth_actual_mm);
}

namespace {
std::optional<double> reading(const Status& status, std::int32_t slot, std::int32_t id,
                              double scale) {
    for (std::int32_t i = 0; i < status.telemetry_count && i < kMaxTelemetryReadings; ++i) {
        const TelemetryReading& r = status.telemetry[static_cast<std::size_t>(i)];
        if (r.slot == slot && r.channel == id) return r.raw * scale;
    }
    return std::nullopt;
}
}  // namespace

void StepMeter::on_status(const Status& status) {
    std::lock_guard lock(mutex_);
    add_depths(step_, status);
    add_depths(run_, status);
    if (previous_) {
        const Status& before = *previous_;
        double strokes = 0.0;
        if (status.cartridge_id != 0 && status.cartridge_id == before.cartridge_id) {
            if (status.cartridge_strokes > before.cartridge_strokes) {
                strokes = status.cartridge_strokes - before.cartridge_strokes;
            }
        } else if (status.cartridge_id == 0 && status.state == PenState::Running &&
                   status.device_time_ms > before.device_time_ms) {
            // No cartridge counter to read: strokes from the measured speed over the interval.
            strokes =
                status.speed_actual_hz * (status.device_time_ms - before.device_time_ms) / 1000.0;
        }
        // Session totals only grow; a drop means a new session, which ends the run anyway.
        const double rf = std::max(0.0, status.rf_energy_j - before.rf_energy_j);
        const double led = std::max(0.0, status.led_dose_j_cm2 - before.led_dose_j_cm2);
        for (MeterTotals* totals : {&step_, &run_}) {
            totals->strokes += strokes;
            totals->rf_energy_j += rf;
            totals->led_dose_j_cm2 += led;
        }
        for (std::size_t c = 0; c < channels_.size(); ++c) {
            const Channel& channel = channels_[c];
            const auto now = reading(status, channel.slot, channel.id, channel.scale);
            const auto then = reading(before, channel.slot, channel.id, channel.scale);
            if (!now || !then || *now <= *then) continue;
            const double delta = *now - *then;
            for (MeterTotals* totals : {&step_, &run_}) {
                totals->channels[c] += delta;
                if (channel.rf_energy) totals->rf_energy_j += delta;
                if (channel.led_dose) totals->led_dose_j_cm2 += delta;
            }
        }
    }
    previous_ = status;
}

void StepMeter::begin_step() {
    std::lock_guard lock(mutex_);
    step_ = MeterTotals{};
    // The step's depth range starts from where the pen is now.
    if (previous_) add_depths(step_, *previous_);
}

MeterTotals StepMeter::step() const {
    std::lock_guard lock(mutex_);
    return step_;
}

MeterTotals StepMeter::run() const {
    std::lock_guard lock(mutex_);
    return run_;
}

std::map<std::string, double> StepMeter::named(const MeterTotals& totals) const {
    std::lock_guard lock(mutex_);
    std::map<std::string, double> named;
    for (std::size_t c = 0; c < channels_.size(); ++c)
        named[channels_[c].name] = totals.channels[c];
    return named;
}

std::optional<Status> StepMeter::latest() const {
    std::lock_guard lock(mutex_);
    return previous_;
}

}  // namespace penlink::treatment::detail
