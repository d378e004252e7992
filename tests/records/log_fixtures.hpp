// Runs and steps as a runner would report them, for the treatment-log tests.
#pragma once

#include <string>

#include "penlink/records.hpp"

namespace penlink::test {

inline RunStart run_start(const std::string& cartridge) {
    RunStart start;
    start.pen_serial = "PL-000123";
    start.pen_model = "penlink-sim";
    start.pen_firmware = "1.4.2";
    start.cartridge_id = cartridge;
    start.recipe_name = "acne-scars";
    start.recipe_hash = "sha256:9f2c";
    start.device_class = "professional";
    start.client_reference = "client-7f3a";
    return start;
}

inline StepTotals step_totals(std::size_t index, const std::string& zone) {
    StepTotals step;
    step.index = index;
    step.name = zone + " pass";
    step.zone = zone;
    step.started_s = 10.0 * static_cast<double>(index);
    step.ended_s = step.started_s + 8.5;
    step.strokes = 1200 + index;
    step.depth_set_min_mm = 0.5;
    step.depth_set_max_mm = 1.0;
    step.depth_actual_min_mm = 0.48;
    step.depth_actual_max_mm = 1.02;
    step.rf_energy_j = 3.25;
    step.led_dose_j_cm2 = 0.0;
    step.module_totals = {{"cooling.time_s", 8.5}};
    step.outcome = "completed";
    return step;
}

}  // namespace penlink::test
