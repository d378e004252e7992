// libFuzzer harness: ZoneChart::parse, which reads a clinic's own zone chart (untrusted text).
//
// Input layout: the whole input is the chart text. Seed: treatment/zones.json.
//
// Checked on every input: the parser returns or throws InvalidArgumentError; an accepted chart
// has at least one zone, unique keys that find() returns, and 0 <= min <= max <= 5 mm, finite.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "penlink/errors.hpp"
#include "penlink/treatment.hpp"

using namespace penlink;
using penlink::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const treatment::ZoneChart chart = treatment::ZoneChart::parse(text, "fuzz");
        check(!chart.zones().empty());
        for (const treatment::Zone& zone : chart.zones()) {
            check(chart.find(zone.key) == &zone);
            check(std::isfinite(zone.depth_min_mm) && std::isfinite(zone.depth_max_mm));
            check(zone.depth_min_mm >= 0 && zone.depth_min_mm <= zone.depth_max_mm);
            check(zone.depth_max_mm > 0 && zone.depth_max_mm <= 5.0);
        }
    } catch (const InvalidArgumentError& error) {
        check(std::string(error.what()).rfind("fuzz: ", 0) == 0);
    }
    return 0;
}
