// Host-side limit checks: nothing outside the pen's reported range (or the user's depth limit)
// is ever sent, and the refusal names the value, the limit and the unit.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "core/conversions.hpp"
#include "core/limits.hpp"
#include "fake_pen.hpp"

namespace penlink::test {
namespace {

using Catch::Contains;

Capabilities caps() { return core::to_capabilities(fake_pen_info()); }

/// Runs check, expecting an OutOfRangeError; returns it for inspection.
template <typename Check>
OutOfRangeError out_of_range(Check&& check) {
    try {
        check();
    } catch (const OutOfRangeError& error) {
        return error;
    }
    FAIL("no OutOfRangeError");
    throw std::logic_error("unreachable");
}

template <typename Check>
std::string not_supported(Check&& check) {
    try {
        check();
    } catch (const NotSupportedError& error) {
        CHECK(error.code() == ErrorCode::NotSupported);
        return error.what();
    }
    FAIL("no NotSupportedError");
    return {};
}

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int32_t kMaxInt = std::numeric_limits<std::int32_t>::max();
constexpr std::int32_t kMinInt = std::numeric_limits<std::int32_t>::min();

/// Runs check, expecting an InvalidArgumentError; returns its message.
template <typename Check>
std::string invalid_argument(Check&& check) {
    try {
        check();
    } catch (const InvalidArgumentError& error) {
        CHECK(error.code() == ErrorCode::InvalidArgument);
        return error.what();
    }
    FAIL("no InvalidArgumentError");
    return {};
}

// The unit types stay usable in constant expressions.
static_assert(Depth::mm(1.25).in_um() == 1250);
static_assert(Depth::mm(-0.0004).in_um() == 0);
static_assert(Speed::hz(100).in_chz() == 10000 && Speed::hz(-0.5).in_chz() == -50);

TEST_CASE("Depth::mm and Speed::hz refuse a value that is not a finite number", "[limits][units]") {
    CHECK(invalid_argument([] { (void)Depth::mm(kNan); }) == "depth nan mm is not a finite number");
    CHECK(invalid_argument([] { (void)Depth::mm(kInf); }) == "depth inf mm is not a finite number");
    CHECK(invalid_argument([] { (void)Depth::mm(-kInf); }) ==
          "depth -inf mm is not a finite number");
    CHECK(invalid_argument([] { (void)Speed::hz(kNan); }) == "speed nan Hz is not a finite number");
    CHECK(invalid_argument([] { (void)Speed::hz(-kNan); }) ==
          "speed nan Hz is not a finite number");
    CHECK(invalid_argument([] { (void)Speed::hz(-kInf); }) ==
          "speed -inf Hz is not a finite number");
}

TEST_CASE("Depth::mm and Speed::hz refuse values beyond what they can hold", "[limits][units]") {
    const auto deep = out_of_range([] { (void)Depth::mm(1e308); });
    CHECK(deep.unit() == "mm");
    CHECK(deep.value() == 1e308);
    CHECK(deep.limit() == Approx(2147483.647));
    CHECK_THAT(deep.what(), Contains("depth 1e+308 mm") && Contains("2147483.647 mm"));
    CHECK(out_of_range([] { (void)Depth::mm(-3e9); }).limit() == Approx(-2147483.648));
    CHECK(out_of_range([] { (void)Depth::mm(2147483.648); }).unit() == "mm");
    const auto fast = out_of_range([] { (void)Speed::hz(9.3e18); });
    CHECK(fast.unit() == "Hz");
    CHECK(fast.limit() == Approx(21474836.47));
    CHECK_THAT(fast.what(), Contains("speed 9.3e+18 Hz") && Contains("21474836.47 Hz"));
    // The edges themselves are representable.
    CHECK(Depth::mm(2147483.647).in_um() == kMaxInt);
    CHECK(Depth::mm(-2147483.648).in_um() == kMinInt);
    CHECK(Speed::hz(21474836.47).in_chz() == kMaxInt);
    CHECK(Speed::hz(-21474836.48).in_chz() == kMinInt);
}

TEST_CASE("the extremes of whole-unit depths and speeds are refused without overflow",
          "[limits][units]") {
    const auto c = caps();
    for (const std::int32_t um : {kMinInt, kMinInt + 1, -1, kMaxInt - 1, kMaxInt}) {
        INFO(um << " um");
        CHECK_THROWS_AS(core::check_depth(Depth::um(um), c, Depth::um(kMaxInt)), OutOfRangeError);
        CHECK_THROWS_AS(core::check_depth(Depth::um(um), c, Depth::um(kMinInt)), OutOfRangeError);
        CHECK_THROWS_AS(core::check_depth_limit(Depth::um(um), c), OutOfRangeError);
    }
    for (const std::int32_t chz : {kMinInt, -1, 0, kMaxInt}) {
        INFO(chz << " cHz");
        CHECK_THROWS_AS(core::check_speed(Speed::chz(chz), c), OutOfRangeError);
    }
    for (const std::int32_t hz : {kMinInt, -1, kMaxInt}) {
        CHECK_THROWS_AS(core::check_status_rate(hz, c), OutOfRangeError);
    }
}

TEST_CASE("depth within range and on the grid converts to micrometres", "[limits][depth]") {
    const auto c = caps();
    CHECK(core::check_depth(Depth::mm(1.25), c, Depth::mm(2.5)).depth_um == 1250);
    CHECK(core::check_depth(Depth::mm(0.25), c, Depth::mm(2.5)).depth_um == 250);
    CHECK(core::check_depth(Depth::mm(2.5), c, Depth::mm(2.5)).depth_um == 2500);
}

TEST_CASE("depth above the maximum is refused with value, limit and unit", "[limits][depth]") {
    const auto error =
        out_of_range([] { core::check_depth(Depth::mm(3.2), caps(), Depth::mm(2.5)); });
    CHECK(error.code() == ErrorCode::OutOfRange);
    CHECK(error.value() == Approx(3.2));
    CHECK(error.limit() == Approx(2.5));
    CHECK(error.unit() == "mm");
    CHECK(std::string(error.what()) == "depth 3.20 mm exceeds the pen's maximum of 2.50 mm");
}

TEST_CASE("depth below the minimum is refused", "[limits][depth]") {
    const auto error =
        out_of_range([] { core::check_depth(Depth::mm(0.1), caps(), Depth::mm(2.5)); });
    CHECK(error.limit() == Approx(0.25));
    CHECK_THAT(error.what(), Contains("0.10 mm") && Contains("minimum") && Contains("0.25 mm"));
}

TEST_CASE("a depth refusal shows micrometres the two decimals would hide", "[limits][depth]") {
    CHECK(std::string(out_of_range([] {
                          core::check_depth(Depth::um(-1), caps(), Depth::mm(2.5));
                      }).what()) == "depth -0.001 mm is below the pen's minimum of 0.250 mm");
}

TEST_CASE("depth off the step grid is refused, naming the step", "[limits][depth]") {
    const auto error =
        out_of_range([] { core::check_depth(Depth::um(1234), caps(), Depth::mm(2.5)); });
    CHECK(error.value() == Approx(1.234));
    CHECK(error.limit() == Approx(0.05));
    CHECK(error.unit() == "mm");
    CHECK_THAT(error.what(), Contains("1.234 mm") && Contains("0.05 mm step"));
}

TEST_CASE("depth above the user's depth limit is refused", "[limits][depth]") {
    const auto error =
        out_of_range([] { core::check_depth(Depth::mm(2.0), caps(), Depth::mm(1.5)); });
    CHECK(error.value() == Approx(2.0));
    CHECK(error.limit() == Approx(1.5));
    CHECK_THAT(error.what(), Contains("2.00 mm") && Contains("depth limit") && Contains("1.50 mm"));
    // At the limit is fine.
    CHECK(core::check_depth(Depth::mm(1.5), caps(), Depth::mm(1.5)).depth_um == 1500);
}

TEST_CASE("a user depth limit must itself be within the pen's range", "[limits][depth]") {
    CHECK_NOTHROW(core::check_depth_limit(Depth::mm(1.5), caps()));
    const auto error = out_of_range([] { core::check_depth_limit(Depth::mm(4.0), caps()); });
    CHECK_THAT(error.what(), Contains("4.00 mm") && Contains("2.50 mm"));
}

TEST_CASE("speed outside the pen's range is refused", "[limits][speed]") {
    CHECK(core::check_speed(Speed::hz(120), caps()).speed_chz == 12000);
    const auto high = out_of_range([] { core::check_speed(Speed::hz(200), caps()); });
    CHECK(high.unit() == "Hz");
    CHECK(high.limit() == Approx(150));
    CHECK(std::string(high.what()) == "speed 200 Hz exceeds the pen's maximum of 150 Hz");
    const auto low = out_of_range([] { core::check_speed(Speed::hz(20), caps()); });
    CHECK_THAT(low.what(), Contains("20 Hz") && Contains("below") && Contains("50 Hz"));
}

RfMode valid_rf() {
    RfMode mode;
    mode.enabled = true;
    mode.polarity = RfPolarity::Bipolar;
    mode.frequency_khz = 1500;
    mode.power_w = 10.0;
    mode.pulse_ms = 100;
    return mode;
}

TEST_CASE("RF settings are checked against the add-on", "[limits][rf]") {
    const auto wire = core::check_rf(valid_rf(), caps());
    CHECK(wire.enabled);
    CHECK(wire.polarity == protocol::RfPolarity::Bipolar);
    CHECK(wire.frequency_khz == 1500);
    CHECK(wire.power_mw == 10'000);
    CHECK(wire.pulse_ms == 100);

    SECTION("no RF add-on") {
        auto without = caps();
        without.rf = {};
        CHECK_THAT(not_supported([&] { core::check_rf(valid_rf(), without); }), Contains("RF"));
    }
    SECTION("power") {
        auto mode = valid_rf();
        mode.power_w = 25.0;
        const auto error = out_of_range([&] { core::check_rf(mode, caps()); });
        CHECK(error.unit() == "W");
        CHECK(std::string(error.what()) == "RF power 25 W exceeds the pen's maximum of 20 W");
    }
    SECTION("frequency") {
        auto mode = valid_rf();
        mode.frequency_khz = 500;
        const auto error = out_of_range([&] { core::check_rf(mode, caps()); });
        CHECK(error.unit() == "kHz");
        CHECK_THAT(error.what(), Contains("RF frequency 500 kHz") && Contains("1000 kHz"));
        mode.frequency_khz = 2500;
        CHECK_THAT(out_of_range([&] { core::check_rf(mode, caps()); }).what(),
                   Contains("2500 kHz") && Contains("2000 kHz"));
    }
    SECTION("pulse length") {
        auto mode = valid_rf();
        mode.pulse_ms = 600;
        const auto error = out_of_range([&] { core::check_rf(mode, caps()); });
        CHECK(error.unit() == "ms");
        CHECK_THAT(error.what(), Contains("RF pulse length 600 ms") && Contains("500 ms"));
        mode.pulse_ms = 5;
        CHECK_THAT(out_of_range([&] { core::check_rf(mode, caps()); }).what(),
                   Contains("5 ms") && Contains("10 ms"));
    }
    SECTION("power that is not a finite number switches nothing on") {
        auto mode = valid_rf();
        mode.power_w = kNan;
        CHECK(invalid_argument([&] { core::check_rf(mode, caps()); }) ==
              "RF power nan W is not a finite number");
        mode.power_w = kInf;
        CHECK_THAT(invalid_argument([&] { core::check_rf(mode, caps()); }), Contains("inf W"));
        mode.power_w = -kInf;
        CHECK_THAT(invalid_argument([&] { core::check_rf(mode, caps()); }), Contains("-inf W"));
    }
    SECTION("whole-number extremes") {
        for (const std::int32_t extreme : {kMinInt, kMaxInt}) {
            auto mode = valid_rf();
            mode.frequency_khz = extreme;
            CHECK_THROWS_AS(core::check_rf(mode, caps()), OutOfRangeError);
            mode = valid_rf();
            mode.pulse_ms = extreme;
            CHECK_THROWS_AS(core::check_rf(mode, caps()), OutOfRangeError);
        }
    }
    SECTION("polarity that is not one of the enum's values") {
        auto mode = valid_rf();
        mode.polarity = static_cast<RfPolarity>(7);
        CHECK(invalid_argument([&] { core::check_rf(mode, caps()); }) ==
              "RF polarity 7 is not one of monopolar (0), bipolar (1)");
        mode.polarity = static_cast<RfPolarity>(-1);
        CHECK_THAT(invalid_argument([&] { core::check_rf(mode, caps()); }),
                   Contains("RF polarity -1"));
    }
    SECTION("polarity the add-on lacks") {
        auto mode = valid_rf();
        mode.polarity = RfPolarity::Monopolar;
        CHECK_THAT(not_supported([&] { core::check_rf(mode, caps()); }), Contains("monopolar"));
    }
}

LedMode valid_led() {
    LedMode mode;
    mode.enabled = true;
    mode.wavelength_nm = 633;
    mode.irradiance_mw_cm2 = 80.0;
    mode.pulsed = true;
    mode.pulse_rate_hz = 10.0;
    mode.duty_percent = 50.0;
    return mode;
}

TEST_CASE("LED settings are checked against the fitted channels", "[limits][led]") {
    const auto wire = core::check_led(valid_led(), caps());
    CHECK(wire.wavelength_nm == 633);
    CHECK(wire.irradiance_dmw_cm2 == 800);
    CHECK(wire.mode == protocol::LedMode::Pulsed);
    CHECK(wire.pulse_rate_chz == 1000);
    CHECK(wire.duty_permille == 500);

    SECTION("no LED add-on") {
        auto without = caps();
        without.led = {};
        CHECK_THAT(not_supported([&] { core::check_led(valid_led(), without); }), Contains("LED"));
    }
    SECTION("unfitted wavelength, including one past the reported channel count") {
        auto mode = valid_led();
        mode.wavelength_nm = 500;
        CHECK_THAT(not_supported([&] { core::check_led(mode, caps()); }),
                   Contains("500 nm") && Contains("415, 633"));
        mode.wavelength_nm = 830;
        CHECK_THAT(not_supported([&] { core::check_led(mode, caps()); }), Contains("830 nm"));
    }
    SECTION("irradiance above the channel's maximum") {
        auto mode = valid_led();
        mode.irradiance_mw_cm2 = 160.0;
        const auto error = out_of_range([&] { core::check_led(mode, caps()); });
        CHECK(error.unit() == "mW/cm2");
        CHECK(error.limit() == Approx(150.0));
        CHECK_THAT(error.what(),
                   Contains("633 nm") && Contains("160 mW/cm2") && Contains("150 mW/cm2"));
        // The blue channel has a lower ceiling.
        mode.wavelength_nm = 415;
        mode.irradiance_mw_cm2 = 120.0;
        CHECK(out_of_range([&] { core::check_led(mode, caps()); }).limit() == Approx(100.0));
    }
    SECTION("pulse rate") {
        auto mode = valid_led();
        mode.pulse_rate_hz = 2000.0;
        const auto error = out_of_range([&] { core::check_led(mode, caps()); });
        CHECK(error.unit() == "Hz");
        CHECK_THAT(error.what(), Contains("LED pulse rate 2000 Hz") && Contains("1000 Hz"));
        mode.pulse_rate_hz = 0.5;
        CHECK_THAT(out_of_range([&] { core::check_led(mode, caps()); }).what(),
                   Contains("0.5 Hz") && Contains("1 Hz"));
    }
    SECTION("duty cycle") {
        auto mode = valid_led();
        mode.duty_percent = 150.0;
        const auto error = out_of_range([&] { core::check_led(mode, caps()); });
        CHECK(error.unit() == "%");
        CHECK_THAT(error.what(), Contains("LED duty cycle 150 %") && Contains("100 %"));
        mode.duty_percent = 0.0;
        CHECK_THROWS_AS(core::check_led(mode, caps()), OutOfRangeError);
    }
    SECTION("values that are not finite numbers are refused, pulsed or not") {
        for (const bool pulsed : {true, false}) {
            INFO("pulsed " << pulsed);
            auto mode = valid_led();
            mode.pulsed = pulsed;
            mode.irradiance_mw_cm2 = kNan;
            CHECK(invalid_argument([&] { core::check_led(mode, caps()); }) ==
                  "LED irradiance at 633 nm nan mW/cm2 is not a finite number");
            mode = valid_led();
            mode.pulsed = pulsed;
            mode.pulse_rate_hz = kInf;
            CHECK(invalid_argument([&] { core::check_led(mode, caps()); }) ==
                  "LED pulse rate inf Hz is not a finite number");
            mode = valid_led();
            mode.pulsed = pulsed;
            mode.duty_percent = -kNan;
            CHECK_THAT(invalid_argument([&] { core::check_led(mode, caps()); }),
                       Contains("LED duty cycle") && Contains("nan %"));
        }
    }
    SECTION("whole-number extremes") {
        for (const std::int32_t extreme : {kMinInt, kMaxInt}) {
            auto mode = valid_led();
            mode.wavelength_nm = extreme;
            CHECK_THROWS_AS(core::check_led(mode, caps()), NotSupportedError);
        }
    }
    SECTION("continuous mode ignores the pulse settings") {
        auto mode = valid_led();
        mode.pulsed = false;
        mode.pulse_rate_hz = 0.0;
        mode.duty_percent = 0.0;
        CHECK(core::check_led(mode, caps()).mode == protocol::LedMode::Continuous);
    }
}

TEST_CASE("status rate is checked against the pen's maximum", "[limits][status]") {
    CHECK(core::check_status_rate(100, caps()) == 100);
    const auto error = out_of_range([] { core::check_status_rate(101, caps()); });
    CHECK(std::string(error.what()) == "status rate 101 Hz exceeds the pen's maximum of 100 Hz");
    CHECK_THROWS_AS(core::check_status_rate(0, caps()), OutOfRangeError);
}

}  // namespace
}  // namespace penlink::test
