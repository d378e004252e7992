// The proxy's random numbers: splitmix64, so a --seed replays the same faults on every
// platform (the std distributions are implementation-defined).
#pragma once

#include <cstdint>

namespace penlink::proxytool {

class DeterministicRandom {
public:
    explicit DeterministicRandom(std::uint64_t seed = 1) : state_(seed) {}

    void reseed(std::uint64_t seed) { state_ = seed; }

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    /// True with probability p (p <= 0 never, p >= 1 always).
    bool chance(double p) {
        if (p <= 0.0) return false;
        if (p >= 1.0) return true;
        return static_cast<double>(next() >> 11) / 9007199254740992.0 < p;  // [0, 1) < p
    }

    /// Uniform in [0, bound); 0 when bound is 0.
    std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }

private:
    std::uint64_t state_;
};

}  // namespace penlink::proxytool
