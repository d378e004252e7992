// A pen's refusal explains itself (audit finding 12): what the limit is (a bound, a step, a
// mask, the session limit), which faults are latched, whether the cartridge is missing or used
// up, and that a superseded command was not applied.
#include <catch2/catch.hpp>

#include "core/nack.hpp"

namespace penlink::test {
namespace {

using protocol::Field;
using protocol::LimitKind;
using protocol::MessageType;
using protocol::Nack;
using protocol::NackReason;

TEST_CASE("an off-grid depth is explained as a step, not as a limit", "[nack]") {
    // Before: "depth 1.55 mm exceeds the pen's limit of 0.10 mm".
    const auto result = core::result_from_nack(Nack{MessageType::SetDepth, NackReason::OutOfRange,
                                                    Field::Depth, 1550, 100, LimitKind::Step});
    CHECK(result.code == ErrorCode::OutOfRange);
    CHECK_THAT(result.message, Catch::Contains("depth 1.55 mm is not on the pen's 0.10 mm grid"));
    CHECK(result.limit == Approx(0.1));
    CHECK(result.unit == "mm");
}

TEST_CASE("bounds say minimum or maximum, the session limit says so", "[nack]") {
    auto result = core::result_from_nack(Nack{MessageType::SetSpeed, NackReason::OutOfRange,
                                              Field::Speed, 4000, 5000, LimitKind::Minimum});
    CHECK_THAT(result.message, Catch::Contains("speed 40 Hz is below the pen's minimum of 50 Hz"));
    result = core::result_from_nack(Nack{MessageType::SetDepth, NackReason::OutOfRange,
                                         Field::Depth, 2000, 1500, LimitKind::SessionMaximum});
    CHECK_THAT(result.message,
               Catch::Contains("depth 2.00 mm exceeds the session depth limit of 1.50 mm"));
}

TEST_CASE("an RF polarity refusal names the polarities the pen has", "[nack]") {
    // Before: "RF polarity 1  is outside the pen's limit of 1 ".
    const auto result =
        core::result_from_nack(Nack{MessageType::SetRf, NackReason::OutOfRange, Field::RfPolarity,
                                    1, 0x01, LimitKind::AllowedMask});
    CHECK_THAT(result.message,
               Catch::Contains("RF polarity bipolar is not fitted (the pen has monopolar)"));
}

TEST_CASE("a fault refusal names the faults", "[nack]") {
    const auto result = core::result_from_nack(Nack{MessageType::Start, NackReason::FaultActive,
                                                    Field::None, 0x41, 0, LimitKind::FaultBits});
    CHECK(result.code == ErrorCode::FaultActive);
    CHECK_THAT(result.message, Catch::Contains("over-temperature") && Catch::Contains("watchdog"));
}

TEST_CASE("cartridge refusals say missing or used up", "[nack]") {
    auto result = core::result_from_nack(Nack{MessageType::Start, NackReason::CartridgeMissing});
    CHECK_THAT(result.message, Catch::Contains("no cartridge is fitted"));
    result = core::result_from_nack(Nack{MessageType::Start, NackReason::CartridgeExhausted,
                                         Field::None, 2000, 2000, LimitKind::Maximum});
    CHECK_THAT(result.message,
               Catch::Contains("used up") && Catch::Contains("2000 of 2000 strokes"));
}

TEST_CASE("a superseded command says it was not applied and NoSession is a lost connection",
          "[nack]") {
    auto result = core::result_from_nack(
        Nack{MessageType::SetDepth, NackReason::Superseded, Field::None, 17, 0, LimitKind::None});
    CHECK(result.code == ErrorCode::Rejected);
    CHECK_THAT(result.message, Catch::Contains("not applied") && Catch::Contains("seq 17"));
    result = core::result_from_nack(Nack{MessageType::Heartbeat, NackReason::NoSession});
    CHECK(result.code == ErrorCode::ConnectionLost);
}

}  // namespace
}  // namespace penlink::test
