// The machine-readable summary line each benchmark prints beside its human output, one per
// figure, which scripts/bench.sh collects into its table:
//
//   RESULT name=<id> unit=<unit> median=<v> min=<v> max=<v> runs=<n> target=<op><v>
//          floor=<text to the end of the line>
//
// `target` is what the performance issue asks of the figure (`<=1.3`, `>=0.99`, `==0`), or `-`
// when the figure is reported without one. `floor` names what the figure was measured against
// in the same run, and its value, so the table can show both. Keys come first and the free
// text last, so a shell can split the line on spaces up to `floor=`.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "stats.hpp"

namespace bench {

/// Prints one RESULT line over the per-run values (median, min, max). Does nothing when there
/// are no values: a figure that was not measured is absent, not zero.
inline void print_result(const std::string& name, const std::string& unit,
                         const std::vector<double>& values, const std::string& target,
                         const std::string& floor) {
    if (values.empty()) return;
    std::printf(
        "RESULT name=%s unit=%s median=%.6g min=%.6g max=%.6g runs=%zu target=%s floor=%s\n",
        name.c_str(), unit.c_str(), percentile(values, 0.5),
        *std::min_element(values.begin(), values.end()),
        *std::max_element(values.begin(), values.end()), values.size(),
        target.empty() ? "-" : target.c_str(), floor.empty() ? "-" : floor.c_str());
    std::fflush(stdout);
}

}  // namespace bench
