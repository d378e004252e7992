// RF and LED as standard-profile modules, end to end: a pen whose RF and LED come from
// modules/rf.json and modules/led.json (penlink-sim --no-rf --no-led --module ...). The typed
// set_rf_mode / set_led_mode and the generic set_params put byte-identical SetParams frames on
// the wire (only the sequence number differs) and leave the pen in the same state; a vendor's
// module of another key that declares the rf profile is driven by set_rf_mode too; profile
// telemetry arrives in Status::telemetry, not in the legacy rf_* / led_* fields.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <sstream>

#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "protocol/frame.hpp"
#include "recording_relay.hpp"
#include "stack_helpers.hpp"

using namespace penlink;
using namespace std::chrono_literals;
using simtool::SimProcess;

namespace {

const std::string kRfFile = PENLINK_SOURCE_DIR "/modules/rf.json";
const std::string kLedFile = PENLINK_SOURCE_DIR "/modules/led.json";

std::uint16_t port_of(const std::string& url) {
    return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

// One SetParams frame as the host wrote it: the bytes between two delimiters (delimiter
// included), and what they decode to.
struct SentFrame {
    std::vector<std::uint8_t> wire;
    protocol::FrameHeader header;
    protocol::SetParams message;
};

std::vector<SentFrame> set_params_frames(const std::vector<std::uint8_t>& bytes) {
    std::vector<SentFrame> frames;
    auto start = bytes.begin();
    for (auto it = bytes.begin(); it != bytes.end(); ++it) {
        if (*it != 0) continue;
        std::vector<std::uint8_t> wire(start, it + 1);
        start = it + 1;
        protocol::FrameDecoder decoder;
        decoder.feed(
            wire,
            [&](const protocol::DecodedFrame& frame) {
                if (const auto* set = std::get_if<protocol::SetParams>(&frame.message)) {
                    frames.push_back({wire, frame.header, *set});
                }
            },
            [](protocol::FrameError) {});
    }
    return frames;
}

// The one SetParams frame the host sent while call ran.
SentFrame frame_of(test::RecordingRelay& relay, const std::function<void()>& call) {
    relay.clear();
    call();
    const auto frames = set_params_frames(relay.host_bytes());
    REQUIRE(frames.size() == 1);
    return frames[0];
}

// Same bytes but for the sequence number: each wire frame is exactly the encoding of its
// message under its own seq, and the two messages (hence payloads) are equal.
void require_identical_but_seq(const SentFrame& typed, const SentFrame& generic) {
    CHECK(typed.message == generic.message);
    for (const SentFrame* frame : {&typed, &generic}) {
        const auto encoded = protocol::encode_frame(frame->header.seq, frame->message);
        REQUIRE(encoded.has_value());
        const std::vector<std::uint8_t> expected(encoded->bytes.begin(),
                                                 encoded->bytes.begin() + encoded->size);
        CHECK(frame->wire == expected);
    }
    const auto typed_at_0 = protocol::encode_frame(0, typed.message);
    const auto generic_at_0 = protocol::encode_frame(0, generic.message);
    CHECK(std::vector<std::uint8_t>(typed_at_0->bytes.begin(),
                                    typed_at_0->bytes.begin() + typed_at_0->size) ==
          std::vector<std::uint8_t>(generic_at_0->bytes.begin(),
                                    generic_at_0->bytes.begin() + generic_at_0->size));
}

std::string text_of(const std::vector<ParamSetting>& values) {
    std::string text;
    for (const auto& v : values) text += v.key + "=" + v.value.to_string() + " ";
    return text;
}

}  // namespace

TEST_CASE("RF and LED through the facades and through set_params give the same wire frames",
          "[stack][profiles]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--no-rf", "--no-led", "--module",
                                     kRfFile, "--module", kLedFile});
    test::RecordingRelay relay(port_of(sim.url()));
    auto pen = Pen::connect(relay.url(), test::stack_options());
    CHECK_FALSE(pen->capabilities().rf.fitted);  // no built-in add-on: only the modules
    CHECK_FALSE(pen->capabilities().led.fitted);
    REQUIRE(pen->modules().size() == 2);

    SECTION("RF") {
        RfMode mode;
        mode.enabled = true;
        mode.polarity = RfPolarity::Monopolar;
        mode.frequency_khz = 1750;
        mode.power_w = 7.125;
        mode.pulse_ms = 40;
        const SentFrame typed = frame_of(relay, [&] { pen->set_rf_mode(mode); });
        const auto typed_state = pen->get_params("rf");

        pen->set_params("rf", {{"enabled", false}, {"polarity", "bipolar"}, {"power", 1.0}});
        REQUIRE(text_of(pen->get_params("rf")) != text_of(typed_state));

        const SentFrame generic = frame_of(relay, [&] {
            pen->set_params("rf", {{"enabled", true},
                                   {"polarity", "monopolar"},
                                   {"frequency", 1750},
                                   {"power", 7.125},
                                   {"pulse", 40}});
        });
        require_identical_but_seq(typed, generic);
        CHECK(typed.message.slot == 1);
        CHECK(text_of(pen->get_params("rf")) == text_of(typed_state));
        CHECK(text_of(typed_state) ==
              "enabled=true polarity=\"monopolar\" frequency=1750 power=7.125 pulse=40 ");
    }

    SECTION("LED, pulsed and continuous") {
        LedMode mode;
        mode.enabled = true;
        mode.wavelength_nm = 633;
        mode.irradiance_mw_cm2 = 95.5;
        mode.pulsed = true;
        mode.pulse_rate_hz = 12.5;
        mode.duty_percent = 30.0;
        const SentFrame typed = frame_of(relay, [&] { pen->set_led_mode(mode); });
        const auto typed_state = pen->get_params("led");
        pen->set_params("led", {{"enabled", false}, {"mode", "continuous"}, {"duty", 50.0}});
        const SentFrame generic = frame_of(relay, [&] {
            pen->set_params("led", {{"enabled", true},
                                    {"wavelength", 633},
                                    {"irradiance", 95.5},
                                    {"mode", "pulsed"},
                                    {"pulse_rate", 12.5},
                                    {"duty", 30.0}});
        });
        require_identical_but_seq(typed, generic);
        CHECK(typed.message.slot == 2);
        CHECK(text_of(pen->get_params("led")) == text_of(typed_state));

        // Continuous: the pulse fields are not sent (the module keeps its own).
        mode.pulsed = false;
        mode.pulse_rate_hz = 0.0;
        const SentFrame continuous = frame_of(relay, [&] { pen->set_led_mode(mode); });
        const SentFrame generic_continuous = frame_of(relay, [&] {
            pen->set_params("led", {{"enabled", true},
                                    {"wavelength", 633},
                                    {"irradiance", 95.5},
                                    {"mode", "continuous"}});
        });
        require_identical_but_seq(continuous, generic_continuous);
        CHECK(continuous.message.count == 4);
        CHECK(pen->get_param("led", "pulse_rate") == ParamValue(12.5));
    }

    SECTION("the _async twins send the same frames") {
        RfMode mode;
        mode.enabled = true;
        mode.power_w = 3.0;
        const SentFrame sync = frame_of(relay, [&] { pen->set_rf_mode(mode); });
        const SentFrame async = frame_of(relay, [&] {
            std::promise<Result> done;
            pen->set_rf_mode_async(mode, [&](const Result& r) { done.set_value(r); });
            CHECK(done.get_future().get().ok());
        });
        require_identical_but_seq(sync, async);
    }

    SECTION("refusals name the module's parameter, limit and unit") {
        RfMode mode;
        mode.power_w = 25.0;
        relay.clear();
        CHECK_THROWS_WITH(pen->set_rf_mode(mode),
                          Catch::Contains("rf.power 25 W exceeds the module's maximum of 20 W"));
        std::promise<Result> refused;
        pen->set_rf_mode_async(mode, [&](const Result& r) { refused.set_value(r); });
        const Result result = refused.get_future().get();
        CHECK(result.code == ErrorCode::OutOfRange);
        CHECK(result.limit == 20.0);
        CHECK(result.unit == "W");
        CHECK_THAT(result.message, Catch::Contains("rf.power 25 W"));
        LedMode led;
        led.wavelength_nm = 415;
        CHECK_THROWS_AS(pen->set_led_mode(led), NotSupportedError);
        CHECK(set_params_frames(relay.host_bytes()).empty());
    }
    pen->close();
}

TEST_CASE("profile telemetry is in Status::telemetry, not in the legacy RF and LED fields",
          "[stack][profiles]") {
    auto pen =
        Pen::connect("sim://?rf=0&led=0&module=" + kRfFile + "," + kLedFile, test::stack_options());
    const Module rf = pen->module("rf");
    const Module led = pen->module("led");
    RfMode mode;
    mode.enabled = true;
    mode.power_w = 10.0;
    pen->set_rf_mode(mode);
    LedMode light;
    light.enabled = true;
    light.irradiance_mw_cm2 = 100.0;
    pen->set_led_mode(light);
    pen->set_depth(Depth::mm(0.5));
    pen->set_speed(Speed::hz(100));
    pen->start();
    CHECK(test::wait_for_status(*pen, [&](const Status& s) {
        return rf.telemetry(s, "delivering") == 1.0 && rf.telemetry(s, "energy").value_or(0) > 0 &&
               rf.telemetry(s, "impedance") == 300.0 && led.telemetry(s, "emitting") == 1.0 &&
               led.telemetry(s, "dose").value_or(0) > 0;
    }));
    const Status status = *pen->latest_status();
    CHECK_FALSE(status.rf_enabled);
    CHECK_FALSE(status.rf_delivering);
    CHECK(status.rf_energy_j == 0.0);
    CHECK_FALSE(status.led_enabled);
    CHECK(status.led_dose_j_cm2 == 0.0);
    pen->stop();
    CHECK(test::wait_for_status(
        *pen, [&](const Status& s) { return rf.telemetry(s, "delivering") == 0.0; }));
    pen->close();
}

TEST_CASE("set_rf_mode drives a vendor's module of another key that declares the rf profile",
          "[stack][profiles]") {
    std::ifstream in(kRfFile);
    std::ostringstream text;
    text << in.rdbuf();
    std::string acme = text.str();
    acme.replace(acme.find("\"key\": \"rf\""), 11, "\"key\": \"acme_rf\"");
    acme.replace(acme.find("\"name\": \"penlink\""), 17, "\"name\": \"Acme\"");
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("penlink_acme_rf_" + std::to_string(::getpid()) + ".json"))
                                 .string();
    std::ofstream(path) << acme;

    auto pen = Pen::connect("sim://?rf=0&led=0&module=" + path, test::stack_options());
    REQUIRE(pen->modules().at(0).key() == "acme_rf");
    RfMode mode;
    mode.enabled = true;
    mode.polarity = RfPolarity::Monopolar;
    mode.frequency_khz = 1200;
    mode.power_w = 4.5;
    mode.pulse_ms = 60;
    pen->set_rf_mode(mode);
    CHECK(text_of(pen->get_params("acme_rf")) ==
          "enabled=true polarity=\"monopolar\" frequency=1200 power=4.5 pulse=60 ");
    // Without a profile module the legacy path still refuses: this pen has no RF add-on...
    CHECK_THROWS_AS(pen->set_led_mode(LedMode{}), NotSupportedError);
    pen->close();
    std::remove(path.c_str());
}

TEST_CASE("addons=modules: a pen whose RF and LED heads are the standard descriptor files",
          "[stack][profiles]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--addons", "modules"});
    test::RecordingRelay relay(port_of(sim.url()));
    auto pen = Pen::connect(relay.url(), test::stack_options());
    CHECK_FALSE(pen->capabilities().rf.fitted);
    CHECK_FALSE(pen->capabilities().led.fitted);
    std::vector<std::string> keys;
    for (const Module& module : pen->modules()) keys.push_back(module.key());
    CHECK(keys == std::vector<std::string>{"rf", "led_blue", "led", "led_nir"});

    SECTION("set_led_mode switches the other colours off first, then sets its own head") {
        LedMode blue;
        blue.enabled = true;
        blue.wavelength_nm = 415;
        blue.irradiance_mw_cm2 = 80.0;
        pen->set_led_mode(blue);
        CHECK(pen->get_param("led_blue", "enabled") == ParamValue(true));

        LedMode infrared;
        infrared.enabled = true;
        infrared.wavelength_nm = 830;
        infrared.irradiance_mw_cm2 = 180.0;  // above blue's 100, within infrared's 200
        relay.clear();
        pen->set_led_mode(infrared);
        const auto frames = set_params_frames(relay.host_bytes());
        REQUIRE(frames.size() == 3);
        CHECK(frames[0].message.slot == 2);  // led_blue off
        CHECK(frames[1].message.slot == 3);  // led (633 nm) off
        for (int i : {0, 1}) {
            CHECK(frames[i].message.count == 1);
            CHECK(frames[i].message.params[0].id == 1);  // "enabled"
            CHECK(frames[i].message.params[0].raw == 0);
        }
        CHECK(frames[2].message.slot == 4);  // led_nir gets the mode
        CHECK(pen->get_param("led_blue", "enabled") == ParamValue(false));
        CHECK(pen->get_param("led_nir", "enabled") == ParamValue(true));
        CHECK(pen->get_param("led_nir", "irradiance") == ParamValue(180.0));

        // The async twin sends the same three requests, in the same order.
        relay.clear();
        std::promise<Result> done;
        pen->set_led_mode_async(infrared, [&](const Result& r) { done.set_value(r); });
        CHECK(done.get_future().get().ok());
        const auto async_frames = set_params_frames(relay.host_bytes());
        REQUIRE(async_frames.size() == 3);
        for (std::size_t i = 0; i < 3; ++i) CHECK(async_frames[i].message == frames[i].message);
    }

    SECTION("a mode one head cannot take is refused before any head is touched") {
        LedMode blue;
        blue.enabled = true;
        blue.wavelength_nm = 415;
        blue.irradiance_mw_cm2 = 50.0;
        pen->set_led_mode(blue);
        LedMode too_bright = blue;
        too_bright.irradiance_mw_cm2 = 250.0;
        too_bright.wavelength_nm = 830;
        relay.clear();
        CHECK_THROWS_WITH(pen->set_led_mode(too_bright),
                          Catch::Contains("led_nir.irradiance 250 mW/cm2 exceeds the module's "
                                          "maximum of 200 mW/cm2"));
        std::promise<Result> refused;
        pen->set_led_mode_async(too_bright, [&](const Result& r) { refused.set_value(r); });
        CHECK(refused.get_future().get().code == ErrorCode::OutOfRange);
        CHECK(set_params_frames(relay.host_bytes()).empty());
        CHECK(pen->get_param("led_blue", "enabled") == ParamValue(true));
    }

    SECTION("RF through the facade, delivering only while the needle runs") {
        RfMode mode;
        mode.enabled = true;
        mode.power_w = 5.0;
        pen->set_rf_mode(mode);
        const Module rf = pen->module("rf");
        pen->set_depth(Depth::mm(0.5));
        pen->set_speed(Speed::hz(100));
        pen->start();
        CHECK(test::wait_for_status(
            *pen, [&](const Status& s) { return rf.telemetry(s, "delivering") == 1.0; }));
        pen->emergency_stop();
        CHECK(pen->get_param("rf", "enabled") == ParamValue(false));
        CHECK(pen->get_param("rf", "power") == ParamValue(0.0));
        CHECK_THROWS_AS(pen->set_rf_mode(mode), SafetyError);
    }
    pen->close();
}
