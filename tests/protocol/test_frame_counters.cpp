// The ends of the sealed-frame counter (docs/protocol.md section 16.4): a sealer numbers frames
// 1..2^32-1 and then refuses to seal (the session must end; penlink reconnects), and a
// receiver's replay window accepts each counter once, in any order within the 64 below the
// highest, never 0, up to the last counter there is.
#include <catch2/catch.hpp>

#include <array>
#include <limits>

#include "protocol/frame.hpp"
#include "protocol/frame_auth.hpp"

using namespace penlink::protocol;

namespace {

constexpr std::uint32_t kLast = std::numeric_limits<std::uint32_t>::max();

std::array<std::uint8_t, crypto::kCmacKeySize> key() {
    std::array<std::uint8_t, crypto::kCmacKeySize> k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i * 7);
    return k;
}

}  // namespace

TEST_CASE("a sealer refuses to seal once its counter is used up", "[frame][auth][counter]") {
    const auto k = key();
    FrameSealer sealer(k, kLast - 1);
    std::array<std::uint8_t, kSealSize> seal{};
    const std::array<std::uint8_t, 4> covered{1, 2, 3, 4};
    REQUIRE(sealer.seal(covered, seal));
    CHECK(sealer.last_counter() == kLast);
    CHECK(seal[0] == 0xFF);
    CHECK(seal[3] == 0xFF);
    CHECK_FALSE(sealer.seal(covered, seal));  // no counter left: nothing goes out unsealed
    CHECK(sealer.last_counter() == kLast);
    CHECK_FALSE(encode_frame(7, Heartbeat{}, &sealer).has_value());
    const auto plain = encode_frame(7, Heartbeat{});
    REQUIRE(plain.has_value());
    CHECK_FALSE(seal_frame(*plain, sealer).has_value());
}

TEST_CASE("the last counters there are still open, once each", "[frame][auth][counter]") {
    const auto k = key();
    FrameSealer sealer(k, kLast - 3);
    FrameOpener opener(k);
    FrameDecoder decoder;
    decoder.set_opener(&opener);
    std::vector<WireFrame> frames;
    for (int i = 0; i < 3; ++i) {
        const auto frame = encode_frame(static_cast<std::uint16_t>(i), Heartbeat{}, &sealer);
        REQUIRE(frame.has_value());
        frames.push_back(*frame);
    }
    int delivered = 0, refused = 0;
    const auto feed = [&](const WireFrame& frame) {
        decoder.feed(
            frame.view(), [&](const DecodedFrame& f) { delivered += f.sealed ? 1 : 0; },
            [&](FrameError) { ++refused; });
    };
    feed(frames[2]);  // 2^32 - 1 first: the two before it are still inside the window
    feed(frames[0]);
    feed(frames[1]);
    CHECK(delivered == 3);
    CHECK(refused == 0);
    for (const auto& frame : frames) feed(frame);  // every one a second time: replays
    CHECK(delivered == 3);
    CHECK(refused == 3);

    ReplayWindow window;
    CHECK_FALSE(window.fresh(0));  // counter 0 is never valid
    window.accept(kLast);
    CHECK_FALSE(window.fresh(kLast));
    CHECK(window.fresh(kLast - 63));
    CHECK_FALSE(window.fresh(kLast - 64));  // older than the window
}
