// replay://FILE?match=lenient against recordings made in-test with a real penlink-sim over TCP:
// an app that asks read-only questions at other moments, subscribes at another rate, or
// retries a command is still served, while a command that changes the pen's output must match
// and a mismatch names the recorded command, the app's command and the frame. Strict stays the
// default and refuses what lenient allows.
#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "penlink/recording_timeline.hpp"
#include "stack_helpers.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::simtool::SimProcess;
using penlink::test::stack_options;
using penlink::test::TempDir;
using penlink::test::wait_for_status;

namespace {

bool depth_is(const Status& status, double mm) {
    return std::abs(status.depth_set_mm - mm) < 0.0005;
}

// The app as it was recorded: connect, read the pen's settings, set 1.25 mm and 120 Hz, see
// them in status, close.
void record_session(const std::string& path) {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto options = stack_options();
    options.record_path = path;
    auto pen = Pen::connect(sim.url(), options);
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    const auto settings = pen->read_settings();
    CHECK(settings.depth_set_mm >= 0.0);
    pen->set_depth(Depth::mm(1.25));
    pen->set_speed(Speed::hz(120));
    REQUIRE(wait_for_status(*pen, [](const Status& s) { return depth_is(s, 1.25); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    pen->close();
}

std::string lenient(const std::string& path) {
    return "replay://" + path + "?speed=4&match=lenient";
}

// Whether the recording holds a host command of this text ("GetSettings").
bool recorded(const std::string& path, const std::string& text) {
    for (const auto& command : read_recording_timeline(path).commands)
        if (command.text == text) return true;
    return false;
}

}  // namespace

TEST_CASE("lenient replay serves an app that skips, repeats and moves read-only queries",
          "[replay][lenient]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    record_session(path);
    REQUIRE(recorded(path, "GetSettings"));

    // This app never reads the settings before setting the depth, subscribes at another rate,
    // retries its depth, and reads the settings twice at the end.
    auto pen = Pen::connect(lenient(path), stack_options());
    CHECK_THAT(pen->url(), Catch::Contains("match=lenient"));
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    auto extra = pen->subscribe_status([](const Status&) {}, 75);
    pen->set_depth(Depth::mm(1.25));
    pen->set_depth(Depth::mm(1.25));  // the app's own retry: the same recorded answer
    pen->set_speed(Speed::hz(120));
    CHECK(wait_for_status(*pen, [](const Status& s) { return depth_is(s, 1.25); }));
    const auto first = pen->read_settings();
    const auto second = pen->read_settings();
    CHECK(first.depth_set_mm == second.depth_set_mm);
    CHECK(pen->connection_state() == ConnectionState::Connected);
    pen->close();
}

TEST_CASE("strict replay, the default, refuses the app that lenient replay serves",
          "[replay][lenient]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    record_session(path);
    auto pen = Pen::connect("replay://" + path + "?speed=4", stack_options());
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    try {
        pen->set_depth(Depth::mm(1.25));  // the recording has GetSettings first
        FAIL("strict replay let a command through out of order");
    } catch (const ConnectionError& error) {
        CHECK_THAT(error.what(), Catch::Contains("the host sent SetDepth 1.250 mm but the "
                                                 "recording expects GetSettings next") &&
                                     Catch::Contains(" of the recording, recorded at ") &&
                                     !Catch::Contains("lenient"));
    }
}

TEST_CASE(
    "lenient replay still refuses a command that changes the output, naming both and "
    "the frame",
    "[replay][lenient]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    record_session(path);

    SECTION("another depth") {
        auto pen = Pen::connect(lenient(path), stack_options());
        REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
        try {
            pen->set_depth(Depth::mm(1.5));
            FAIL("lenient replay accepted a depth it did not record");
        } catch (const ConnectionError& error) {
            const std::string text = error.what();
            CHECK_THAT(text, Catch::Contains("replay of " + path) &&
                                 Catch::Contains("the host sent SetDepth 1.500 mm but the "
                                                 "recording expects SetDepth 1.250 mm next") &&
                                 Catch::Contains("match=lenient lets only housekeeping and "
                                                 "read-only queries differ"));
            // "frame N of the recording": N is a real frame after the handshake.
            const auto at = text.find("frame ");
            REQUIRE(at != std::string::npos);
            CHECK(std::stoi(text.substr(at + 6)) > 3);
        }
        CHECK(penlink::test::wait_until(
            [&] { return pen->connection_state() == ConnectionState::Lost; }));
    }
    SECTION("the commands in another order") {
        auto pen = Pen::connect(lenient(path), stack_options());
        REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
        CHECK_THROWS_WITH(pen->set_speed(Speed::hz(120)),
                          Catch::Contains("the host sent SetSpeed 120.00 Hz but the recording "
                                          "expects SetDepth 1.250 mm next"));
    }
    SECTION("a command the recording never had") {
        auto pen = Pen::connect(lenient(path), stack_options());
        REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
        CHECK_THROWS_WITH(pen->start(),
                          Catch::Contains("the host sent Start but the recording expects "
                                          "SetDepth 1.250 mm next"));
    }
    SECTION("past the last recorded output command") {
        auto pen = Pen::connect(lenient(path), stack_options());
        REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
        pen->set_depth(Depth::mm(1.25));
        pen->set_speed(Speed::hz(120));
        CHECK_THROWS_WITH(pen->set_speed(Speed::hz(90)),
                          Catch::Contains("the host sent SetSpeed 90.00 Hz but the recording has "
                                          "no more commands that change the pen's output"));
    }
}

TEST_CASE("a match other than strict or lenient is refused naming it", "[replay][lenient]") {
    TempDir dir;
    CHECK_THROWS_WITH(Pen::connect("replay://" + dir.file("x.plrec") + "?match=loose"),
                      Catch::Contains("replay match 'loose' is neither strict") &&
                          Catch::Contains("nor lenient"));
    CHECK_THROWS_WITH(Pen::connect("replay://" + dir.file("x.plrec") + "?loop=1"),
                      Catch::Contains("it takes speed=N and match=strict|lenient"));
}
