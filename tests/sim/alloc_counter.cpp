// Replaces the global allocation functions to count heap use. Kept in its own file so the
// compiler never inlines the replaced delete next to a library's new and warns of a mismatch.
#include "alloc_counter.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

// AddressSanitizer brings its own allocation functions; mixing them with ours is an error.
#if defined(__SANITIZE_ADDRESS__)
#define PENLINK_COUNT_ALLOCATIONS 0
#else
#define PENLINK_COUNT_ALLOCATIONS 1
#endif

#if PENLINK_COUNT_ALLOCATIONS
void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
    throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
#endif

namespace penlink::sim::test {
bool allocation_counting() { return PENLINK_COUNT_ALLOCATIONS != 0; }
std::size_t allocation_count() { return g_allocations.load(std::memory_order_relaxed); }
}  // namespace penlink::sim::test
