// The Device Info a pen reports is checked before the session trusts it: a pen (or a corrupted
// reply) claiming a 65.5 mm needle, a zero watchdog or an upside-down range is refused, naming
// the field, the value and the rule it breaks.
#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "core/conversions.hpp"
#include "fake_pen.hpp"
#include "penlink/errors.hpp"

namespace penlink::test {
namespace {

using Catch::Contains;

/// Runs check_info on the fake pen's info after `change`; returns the refusal's message.
std::string refusal(const std::function<void(protocol::Info&)>& change) {
    auto info = fake_pen_info();
    change(info);
    try {
        core::check_info(info);
    } catch (const RejectedError& error) {
        CHECK(error.code() == ErrorCode::Protocol);
        return error.what();
    }
    FAIL("check_info accepted the info");
    return {};
}

TEST_CASE("a sane Device Info is accepted", "[info]") {
    CHECK_NOTHROW(core::check_info(fake_pen_info()));
    // A fixed-depth pen needs no step; add-ons that are not fitted are not checked.
    auto info = fake_pen_info();
    info.depth_min_um = info.depth_max_um = 1000;
    info.depth_step_um = 0;
    info.addons = 0;
    info.rf_frequency_min_khz = 5000;
    info.led_channel_count = 9;
    CHECK_NOTHROW(core::check_info(info));
}

TEST_CASE("Device Info depth range is refused when no pen could have it", "[info]") {
    CHECK_THAT(refusal([](auto& i) { i.depth_max_um = 65500; }),
               Contains("pen reported") && Contains("maximum depth") && Contains("65.50 mm") &&
                   Contains("10.00 mm"));
    CHECK_THAT(refusal([](auto& i) { i.depth_max_um = 10001; }), Contains("10.00 mm"));
    CHECK_NOTHROW(core::check_info([] {
        auto i = fake_pen_info();
        i.depth_max_um = 10000;
        return i;
    }()));
    CHECK_THAT(refusal([](auto& i) { i.depth_min_um = 2600; }),
               Contains("minimum depth 2.60 mm") && Contains("maximum depth 2.50 mm"));
    CHECK_THAT(refusal([](auto& i) { i.depth_step_um = 0; }),
               Contains("depth step 0.00 mm") && Contains("0.25 mm to 2.50 mm"));
}

TEST_CASE("Device Info speed range is refused when empty or upside down", "[info]") {
    CHECK_THAT(refusal([](auto& i) { i.speed_min_chz = 20000; }),
               Contains("minimum speed 200 Hz") && Contains("maximum speed 150 Hz"));
    CHECK_THAT(refusal([](auto& i) { i.speed_min_chz = i.speed_max_chz = 0; }),
               Contains("maximum speed 0 Hz") && Contains("above 0"));
}

TEST_CASE("Device Info watchdog and status rate are refused outside what works", "[info]") {
    CHECK_THAT(refusal([](auto& i) { i.watchdog_ms = 0; }),
               Contains("watchdog 0 ms") && Contains("20 ms to 60000 ms"));
    CHECK_THAT(refusal([](auto& i) { i.watchdog_ms = 19; }), Contains("watchdog 19 ms"));
    CHECK_THAT(refusal([](auto& i) { i.watchdog_ms = 60001; }), Contains("watchdog 60001 ms"));
    CHECK_THAT(refusal([](auto& i) { i.max_status_rate_hz = 0; }),
               Contains("maximum status rate 0 Hz") && Contains("at least 1 Hz"));
}

TEST_CASE("Device Info add-on ranges are refused when upside down", "[info]") {
    CHECK_THAT(refusal([](auto& i) { i.rf_frequency_min_khz = 2500; }),
               Contains("RF frequency") && Contains("2500 kHz") && Contains("2000 kHz"));
    CHECK_THAT(refusal([](auto& i) { i.rf_pulse_min_ms = 600; }),
               Contains("RF pulse") && Contains("600 ms") && Contains("500 ms"));
    CHECK_THAT(refusal([](auto& i) { i.led_pulse_rate_min_chz = 200'000; }),
               Contains("LED pulse rate") && Contains("2000 Hz") && Contains("1000 Hz"));
    CHECK_THAT(refusal([](auto& i) { i.led_channel_count = 5; }),
               Contains("5 LED channels") && Contains("at most 4"));
    CHECK_THAT(refusal([](auto& i) { i.led_channels[1].wavelength_nm = 0; }),
               Contains("LED channel 2") && Contains("wavelength 0 nm"));
}

}  // namespace
}  // namespace penlink::test
