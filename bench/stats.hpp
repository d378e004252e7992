// Small helpers for reporting latency distributions.
#pragma once

#include <algorithm>
#include <vector>

namespace bench {

/// q in [0,1]; sorts a copy.
inline double percentile(std::vector<double> samples, double q) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    const auto index = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(index, samples.size() - 1)];
}

}  // namespace bench
