// The status path must not touch the heap: a pen streams thousands of Status frames per
// second and the host decodes each one. Counts global operator new around the hot calls.
#include <atomic>
#include <cstdlib>
#include <new>

#include <catch2/catch.hpp>

#include "frame_test_util.hpp"
#include "sample_messages.hpp"

namespace {
std::atomic<std::size_t> allocations{0};
}

// Every non-aligned form is replaced, so memory never crosses between our allocator and the
// runtime's (sanitizers check that pairing).
namespace {
void* counted_allocation(std::size_t size) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}
}  // namespace

void* operator new(std::size_t size) {
    if (void* memory = counted_allocation(size)) return memory;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
    if (void* memory = counted_allocation(size)) return memory;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return counted_allocation(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return counted_allocation(size);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }

using namespace penlink::protocol;
using namespace penlink::protocol::test;

TEST_CASE("encoding and decoding Status and Event frames never allocates", "[frame][alloc]") {
    Status status;
    status.state = PenState::Running;
    status.status_seq = 77;
    status.telemetry_count = 8;  // eight module telemetry values ride along
    for (std::uint8_t i = 0; i < 8; ++i) {
        status.telemetry[i] = {1, static_cast<std::uint8_t>(0x80 + i), -1000 * i};
    }
    const Event event{EventKind::ButtonPressed, 1, 2};
    FrameDecoder decoder;
    std::size_t frames = 0, errors = 0;
    Status last{};

    const std::size_t before = allocations.load();
    for (std::uint16_t i = 0; i < 100; ++i) {
        status.status_seq = i;
        const auto status_frame = encode_frame(i, status);
        const auto event_frame = encode_frame(i, event);
        REQUIRE(status_frame.has_value());
        REQUIRE(event_frame.has_value());
        const auto on_frame = [&](const DecodedFrame& frame) {
            ++frames;
            if (const auto* decoded = std::get_if<Status>(&frame.message)) last = *decoded;
        };
        const auto on_error = [&](FrameError) { ++errors; };
        decoder.feed(status_frame->view(), on_frame, on_error);
        decoder.feed(event_frame->view(), on_frame, on_error);
    }
    const std::size_t during = allocations.load() - before;

    CHECK(during == 0);
    CHECK(frames == 200);
    CHECK(errors == 0);
    CHECK(last.status_seq == 99);
    CHECK(last.telemetry_count == 8);
    CHECK(last.telemetry[7] == TelemetryValue{1, 0x87, -7000});
}

TEST_CASE("the allocation counter sees Info's strings", "[frame][alloc]") {
    // Guards the test above against a counter that never counts.
    Info info = full_info();
    info.model = std::string(32, 'm');  // past the small-string buffer
    const auto frame = encode_frame(1, info);
    REQUIRE(frame.has_value());
    const std::size_t before = allocations.load();
    DecodedFrame decoded;
    REQUIRE_FALSE(FrameDecoder::decode(frame->view().first(frame->size - 1), decoded));
    CHECK(allocations.load() > before);
}

TEST_CASE("encode_status_frame never allocates, plain or sealed", "[frame][alloc]") {
    Status status;
    status.telemetry_count = 8;
    std::array<std::uint8_t, crypto::kCmacKeySize> key{};
    key[0] = 1;
    FrameSealer sealer(key);
    std::array<std::uint8_t, kMaxStatusWireFrameSize> out;
    std::size_t bytes = 0;
    const std::size_t before = allocations.load();
    for (std::uint16_t i = 0; i < 100; ++i) {
        status.status_seq = i;
        bytes += encode_status_frame(i, status, out).value();
        bytes += encode_status_frame(i, status, out, &sealer).value();
    }
    CHECK(allocations.load() - before == 0);
    CHECK(bytes > 100 * 2 * 100);  // each frame is over 100 bytes with 8 telemetry values
    CHECK(sealer.last_counter() == 100);
}
