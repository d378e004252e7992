// A module descriptor written for the core tests (a "vacuum head" no source file knows).
#pragma once

#include <string>

namespace penlink::test {

inline const char* vacuum_descriptor_json() {
    return R"({"schema": "penlink.module/1", "key": "vacuum", "name": "VacHead V2",
  "vendor": {"id": 4660, "name": "Suction Labs"}, "model": {"id": 2},
  "parameters": [
    {"key": "enabled", "id": 32769, "type": "bool", "default": false, "safety": "energy"},
    {"key": "pressure_kpa", "id": 32770, "type": "fixed", "unit": "kPa", "scale": 0.1,
     "min": -80.0, "max": 0.0, "step": 0.5, "default": 0.0},
    {"key": "pattern", "id": 32771, "type": "enum", "labels": ["steady", "pulse", "wave"],
     "default": "steady"},
    {"key": "cycles", "id": 32772, "type": "integer", "unit": "count", "min": 0,
     "max": 100000, "default": 0, "access": "read"}
  ],
  "telemetry": [
    {"key": "pressure_kpa", "id": 128, "unit": "kPa", "scale": 0.1, "min": -100, "max": 10,
     "alarm_low": -90}
  ],
  "interlocks": [
    {"key": "needle", "condition": "needle_running", "guards": ["enabled"],
     "description": "suction only while the needle runs"}
  ]})";
}

}  // namespace penlink::test
