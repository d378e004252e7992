// Recording must be cheap enough to leave on: writing status frames into a recording touches
// the heap never, buffer flushes included. operator new is replaced here to count the
// allocations the counting thread makes.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>

#include "protocol/frame.hpp"
#include "recording/recording_reader.hpp"
#include "recording/recording_writer.hpp"
#include "temp_dir.hpp"

namespace {
thread_local bool counting = false;
long allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
    if (counting) ++allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    if (counting) ++allocations;
    return std::malloc(size == 0 ? 1 : size);
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace penlink;
using namespace penlink::recording;

TEST_CASE("recording status frames allocates nothing, flushes included", "[recording]") {
    test::TempDir dir;
    const auto path = dir.file("stream.plrec");
    constexpr int kFrames = 20000;  // ~1.6 MB: the 64 KiB buffer is written out ~25 times
    protocol::Status status;
    {
        RecordingWriter writer(path, "allocation test");
        const auto start = RecordingWriter::Clock::now();
        allocations = 0;
        counting = true;
        for (int i = 0; i < kFrames; ++i) {
            status.status_seq = static_cast<std::uint32_t>(i);
            const auto frame = protocol::encode_frame(static_cast<std::uint16_t>(i), status);
            // As a stream link delivers them: sometimes a frame in two reads.
            const auto bytes = frame->view();
            if (i % 3 == 0) {
                writer.bytes(Direction::PenToHost, bytes.first(10), start);
                writer.bytes(Direction::PenToHost, bytes.subspan(10), start);
            } else {
                writer.bytes(Direction::PenToHost, bytes, start);
            }
        }
        writer.flush();
        counting = false;
        CHECK(allocations == 0);
        CHECK(writer.frames() == kFrames);
    }
    const auto recording = read_recording(path);
    CHECK(recording.records.size() == kFrames);
    CHECK(recording.warning.empty());
}
