// Record a session with a real penlink-sim over TCP, then play it back with replay:// through
// Pen::connect, as an app under test would: status arrives, the same command gets its recorded
// answer, a different one is refused naming both, a cut-short recording still plays.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
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

// Connect, wait for status, set 1.25 mm, see it in status, close: the session replayed below.
void record_session(const std::string& path) {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto options = stack_options();
    options.record_path = path;
    auto pen = Pen::connect(sim.url(), options);
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    pen->set_depth(Depth::mm(1.25));
    REQUIRE(wait_for_status(*pen, [](const Status& s) { return depth_is(s, 1.25); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    pen->close();
}

std::string replay_url(const std::string& path, int speed = 4) {
    return "replay://" + path + "?speed=" + std::to_string(speed);
}

}  // namespace

TEST_CASE("a recorded session replays: status arrives and set_depth gets its recorded Ack",
          "[replay]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    record_session(path);

    const auto summary = summarize_recording(path);
    CHECK(summary.warning.empty());
    CHECK(summary.frames_to_pen >= 5);  // Hello, GetInfo, GetModules, SubscribeStatus, SetDepth
    CHECK(summary.status_frames >= 2);
    CHECK(summary.undecodable_frames == 0);
    CHECK_THAT(summary.description, Catch::StartsWith("tcp://127.0.0.1:"));
    bool saw_set_depth = false;
    for (const auto& [type, count] : summary.frames_by_type)
        if (type == "SetDepth") saw_set_depth = count == 1;
    CHECK(saw_set_depth);

    auto pen = Pen::connect(replay_url(path), stack_options());
    CHECK(pen->info().model.size() > 0);
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    pen->set_depth(Depth::mm(1.25));  // answered with the recorded Ack: no throw
    CHECK(wait_for_status(*pen, [](const Status& s) { return depth_is(s, 1.25); }));
    pen->close();
}

TEST_CASE("a command the recording does not have is refused naming what it expected", "[replay]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    record_session(path);
    auto pen = Pen::connect(replay_url(path), stack_options());
    try {
        pen->set_depth(Depth::mm(1.5));
        FAIL("replay accepted a command it did not record");
    } catch (const ConnectionError& error) {
        CHECK_THAT(error.what(),
                   Catch::Contains("replay of " + path) &&
                       Catch::Contains("the host sent SetDepth 1.500 mm but the recording "
                                       "expects SetDepth 1.250 mm next"));
    }
    // The failure reaches the caller as the link is declared lost; the state follows at once.
    CHECK(penlink::test::wait_until(
        [&] { return pen->connection_state() == ConnectionState::Lost; }));
}

TEST_CASE("Pen::start_recording records from any moment, and stop() closes the file",
          "[replay][recorder]") {
    TempDir dir;
    const auto path = dir.file("later.plrec");
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    auto pen = Pen::connect(sim.url(), stack_options());
    auto recorder = pen->start_recording(path);
    CHECK(recorder.active());
    CHECK(recorder.path() == path);
    CHECK_THROWS_WITH(pen->start_recording(dir.file("second.plrec")),
                      Catch::Contains("already recording to '" + path + "'"));
    pen->set_speed(Speed::hz(120));
    REQUIRE(penlink::test::wait_until([&] { return recorder.frames() >= 6; }));
    recorder.stop();
    CHECK_FALSE(recorder.active());
    const auto frames = recorder.frames();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(recorder.frames() == frames);  // nothing after stop
    const auto summary = summarize_recording(path);
    CHECK(summary.frames_to_pen + summary.frames_from_pen == frames);
    CHECK(summary.status_frames > 0);
    // A new recording may start once the first has stopped.
    auto again = pen->start_recording(dir.file("again.plrec"));
    CHECK(again.active());
    // Without a handshake it cannot stand in for a pen at connect; the error says why.
    CHECK_THROWS_WITH(Pen::connect(replay_url(path), stack_options()),
                      Catch::Contains("the host sent Hello but the recording expects SetSpeed "
                                      "120.00 Hz next") &&
                          Catch::Contains("does not start at a connect"));
}

TEST_CASE("a truncated recording still replays up to its last whole frame", "[replay]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    record_session(path);
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 7);
    CHECK_THAT(summarize_recording(path).warning, Catch::Contains("cut short"));
    auto pen = Pen::connect(replay_url(path), stack_options());
    CHECK(wait_for_status(*pen, [](const Status&) { return true; }));
}

TEST_CASE("replay:// URLs and files that cannot be played are refused clearly", "[replay]") {
    TempDir dir;
    CHECK_THROWS_WITH(Pen::connect("replay://" + dir.file("none.plrec")),
                      Catch::Contains("cannot read the recording file"));
    CHECK_THROWS_WITH(Pen::connect("replay://"), Catch::Contains("missing the recording file"));
    const auto path = dir.file("empty.plrec");
    std::ofstream(path) << "not a recording";
    CHECK_THROWS_WITH(Pen::connect("replay://" + path),
                      Catch::Contains("is not a penlink session recording"));
    CHECK_THROWS_WITH(Pen::connect("replay://" + path + "?speed=0"),
                      Catch::Contains("replay speed '0' is not a factor from 0.01 to 1000"));
    CHECK_THROWS_WITH(Pen::connect("replay://" + path + "?loop=1"),
                      Catch::Contains("has no option 'loop'"));
}

TEST_CASE("an authenticated (sealed) session is recorded but refused by replay, saying why",
          "[replay][auth]") {
    TempDir dir;
    const auto key = dir.file("pen.key");
    const std::string key_hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    std::ofstream(key) << key_hex << "\n";
    std::filesystem::permissions(
        key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const auto path = dir.file("sealed.plrec");
    {
        auto options = stack_options();
        options.keys.add_hex("SIM-AUTH-REC", key_hex);
        options.record_path = path;
        auto pen = Pen::connect("sim://?serial=SIM-AUTH-REC&key_file=" + key, options);
        REQUIRE(pen->authenticated());
        pen->set_depth(Depth::mm(1.0));
    }
    const auto summary = summarize_recording(path);
    CHECK(summary.sealed_frames > 0);
    try {
        Pen::connect(replay_url(path), stack_options());
        FAIL("replay played a sealed session");
    } catch (const NotSupportedError& error) {
        CHECK_THAT(error.what(), Catch::Contains("holds an authenticated (sealed) session") &&
                                     Catch::Contains(path));
    }
}

TEST_CASE("read_recording_timeline decodes the session: commands, status in time order, a cut",
          "[replay][timeline]") {
    TempDir dir;
    const auto path = dir.file("timeline.plrec");
    record_session(path);

    const RecordingTimeline timeline = read_recording_timeline(path);
    CHECK(timeline.path == path);
    CHECK(timeline.warning.empty());
    CHECK(timeline.warning_offset == 0);
    CHECK_THAT(timeline.description, Catch::StartsWith("tcp://127.0.0.1:"));
    REQUIRE(!timeline.commands.empty());
    CHECK(timeline.commands.front().text == "Hello");
    std::vector<std::string> texts;
    for (const auto& command : timeline.commands) {
        CHECK(command.type != "Heartbeat");
        texts.push_back(command.text);
    }
    CHECK(std::count(texts.begin(), texts.end(), "SetDepth 1.250 mm") == 1);
    REQUIRE(timeline.statuses.size() >= 2);
    double previous = 0.0;
    for (const auto& recorded : timeline.statuses) {
        CHECK(recorded.t_s >= previous);
        CHECK(recorded.rf_energy_j == 0.0);  // nothing delivered RF
        previous = recorded.t_s;
    }
    CHECK(previous <= timeline.duration_s);
    CHECK(depth_is(timeline.statuses.back().status, 1.25));
    // Matches the summary's counts of the same file.
    const auto summary = summarize_recording(path);
    CHECK(timeline.statuses.size() == summary.status_frames);
    CHECK(timeline.events.size() == summary.event_frames);

    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size - 3);
    const RecordingTimeline cut = read_recording_timeline(path);
    CHECK_THAT(cut.warning, Catch::Contains("cut short"));
    CHECK(cut.warning_offset > 0);
    CHECK(cut.warning_offset < size - 3);
    CHECK_THAT(cut.warning, Catch::Contains("byte " + std::to_string(cut.warning_offset)));
    // Everything before the cut record is there (the last record is often a reply, not counted).
    CHECK(cut.statuses.size() <= timeline.statuses.size());
    CHECK(cut.statuses.size() + 1 >= timeline.statuses.size());
    CHECK(cut.duration_s <= timeline.duration_s);
}
