// A partner module that no source file knows, written at test time: a suction head with a pump
// switch, a vacuum set point, an energy-class heater, a read-only counter and a boost switch
// that needs the needle running; telemetry that follows them. Plus a scoped temporary file.
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/module_host.hpp"
#include "sim/pen_model.hpp"
#include "sim/sim_config.hpp"

namespace penlink::sim::test {

// Wire ids of the suction head's parameters and channels.
inline constexpr std::uint16_t kPumpOn = 0x8001;
inline constexpr std::uint16_t kVacuum = 0x8002;  // raw 0.1 kPa, 0..80 kPa in 0.5 kPa steps
inline constexpr std::uint16_t kHeater = 0x8003;  // raw 0.1 W, energy class, 0..15 W
inline constexpr std::uint16_t kCycles = 0x8004;  // read only
inline constexpr std::uint16_t kBoost = 0x8005;   // guarded by interlock 1 (needle_running)
inline constexpr std::uint8_t kVacuumChannel = 0x80;
inline constexpr std::uint8_t kHeatChannel = 0x81;
inline constexpr std::uint8_t kSupplyChannel = 0x82;

inline std::string suction_descriptor(const std::string& simulation = "") {
    const std::string behaviour = simulation.empty() ? R"({"telemetry": {
        "vacuum_kpa": {"model": "first_order", "source": "vacuum_kpa", "when": "pump_on",
                       "idle": 0, "tau_s": 0.5},
        "heat_j": {"model": "integrate", "source": "heater_w", "when": "pump_on"},
        "supply_v": {"model": "constant", "offset": 12.5}}})"
                                                     : simulation;
    return R"({
  "schema": "penlink.module/1",
  "key": "suction",
  "name": "VacuHead V2",
  "vendor": {"id": 4660, "name": "Test Vendor"},
  "model": {"id": 7},
  "parameters": [
    {"key": "pump_on", "id": 32769, "type": "bool", "default": false},
    {"key": "vacuum_kpa", "id": 32770, "type": "fixed", "unit": "kPa", "scale": 0.1,
     "min": 0, "max": 80, "step": 0.5, "default": 20},
    {"key": "heater_w", "id": 32771, "type": "fixed", "unit": "W", "scale": 0.1,
     "min": 0, "max": 15, "default": 0, "safety": "energy"},
    {"key": "cycles", "id": 32772, "type": "integer", "unit": "count", "min": 0,
     "max": 1000000, "default": 0, "access": "read"},
    {"key": "boost", "id": 32773, "type": "bool", "default": false}
  ],
  "telemetry": [
    {"key": "vacuum_kpa", "id": 128, "unit": "kPa", "scale": 0.1, "min": 0, "max": 100},
    {"key": "heat_j", "id": 129, "unit": "J", "scale": 0.1, "min": 0, "max": 100000},
    {"key": "supply_v", "id": 130, "unit": "V", "scale": 0.01, "min": 0, "max": 20}
  ],
  "interlocks": [
    {"key": "pump", "condition": "param:pump_on", "guards": ["heater_w"],
     "description": "heater only while the pump runs"},
    {"key": "needle", "condition": "needle_running", "guards": ["boost"]}
  ],
  "simulation": )" +
           behaviour + "\n}\n";
}

inline std::shared_ptr<const ModuleDefinition> suction_module() {
    return load_module_text(suction_descriptor(), "suction.json");
}

/// A default pen with the suction head in slot 1.
inline SimConfig suction_config() {
    SimConfig config = default_sim_config();
    config.modules.push_back(suction_module());
    return config;
}

/// A file under the system's temporary directory, removed when the object goes.
class TempFile {
public:
    explicit TempFile(const std::string& text, const std::string& suffix = ".json") {
        static std::atomic<unsigned> counter{0};
        path_ = (std::filesystem::temp_directory_path() /
                 ("penlink-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
                  suffix))
                    .string();
        std::ofstream out(path_, std::ios::binary);
        out << text;
        REQUIRE(out.good());
    }
    ~TempFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

inline protocol::SetParams set_params(std::uint8_t slot,
                                      std::initializer_list<protocol::ParamValue> values) {
    protocol::SetParams request;
    request.slot = slot;
    for (const auto& value : values) request.params[request.count++] = value;
    return request;
}

/// The telemetry value (raw) of slot/channel in a Status, or nullopt.
inline std::optional<std::int32_t> telemetry_of(const protocol::Status& status, std::uint8_t slot,
                                                std::uint8_t channel) {
    for (std::size_t i = 0; i < status.telemetry_count; ++i) {
        if (status.telemetry[i].slot == slot && status.telemetry[i].channel == channel) {
            return status.telemetry[i].raw;
        }
    }
    return std::nullopt;
}

}  // namespace penlink::sim::test
