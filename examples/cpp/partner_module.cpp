// Drives an add-on module that penlink knows only from the descriptor the pen hands over: the
// example cooling tip (examples/modules/cooling_tip.json), fitted to the simulated pen.
//   partner_module [DESCRIPTOR]   (default: the cooling tip beside this example's sources)
#include <penlink/penlink.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

int main(int argc, char** argv) {
    const std::string descriptor = argc > 1 ? argv[1] : PENLINK_EXAMPLE_MODULE;
    auto pen = penlink::Pen::connect("sim://?module=" + descriptor);

    for (const penlink::Module& module : pen->modules()) {
        std::printf("%s@%d: %s by %s\n", module.key().c_str(), static_cast<int>(module.slot()),
                    module.name().c_str(), module.descriptor().vendor_name.c_str());
        for (const auto& p : module.descriptor().parameters) {
            std::printf("  %-12s %g..%g %s\n", p.key.c_str(), p.min, p.max, p.unit.c_str());
        }
    }

    // One atomic set: the pen applies both or neither.
    pen->set_params("cooling", {{"setpoint_c", 10.0}, {"enabled", true}});
    try {
        pen->set_param("cooling", "setpoint_c", 30.0);
    } catch (const penlink::OutOfRangeError& e) {
        std::printf("refused: %s\n", e.what());  // names cooling.setpoint_c, 30 degC, 20 degC
    }

    // Telemetry rides in every status frame; the module reads it by key, in its unit.
    const penlink::Module cooling = pen->module("cooling");
    for (int i = 0; i < 5; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        if (const auto status = pen->latest_status()) {
            const auto plate = cooling.telemetry(*status, "plate_c");
            std::printf("plate %.2f degC%s\n", plate.value_or(0.0),
                        cooling.telemetry_alarm(*status, "plate_c") ? " (alarm)" : "");
        }
    }
    pen->set_param("cooling", "enabled", false);
    std::printf("fan: %s\n", pen->get_param("cooling", "fan").as_label().c_str());
    return 0;
}
