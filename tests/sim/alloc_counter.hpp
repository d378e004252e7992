// Counts global operator new calls in this test binary (see alloc_counter.cpp).
#pragma once

#include <cstddef>

namespace penlink::sim::test {
/// False when the build cannot replace operator new (sanitizers).
bool allocation_counting();
std::size_t allocation_count();
}  // namespace penlink::sim::test
