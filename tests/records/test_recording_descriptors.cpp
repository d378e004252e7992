// Every session recording holds the module descriptors its session used, although penlink
// caches descriptors per process and a later session reads none over the link: a real
// penlink-sim with its RF and LED heads as descriptor modules, two sessions in one process, an
// RF treatment run recorded in the second, and a mid-session recording. Old (version 1) files,
// which have no descriptor records, still read.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "penlink-sim/launcher.hpp"
#include "penlink/penlink.hpp"
#include "penlink/treatment_runner.hpp"
#include "recording/recording_reader.hpp"
#include "stack_helpers.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::simtool::SimProcess;
using penlink::test::stack_options;
using penlink::test::TempDir;
using penlink::test::wait_for_status;

namespace {

// One short RF step: the rf module's energy channel grows while it runs.
const char* const kRfRecipe = R"({"schema": "penlink.recipe/1", "name": "short rf",
    "concern": "laxity", "steps": [{"name": "Jawline", "zone": "jawline", "depth_mm": 1.0,
    "speed_hz": 100, "duration_s": 0.6, "modules": {"rf": {"enabled": true,
    "polarity": "bipolar", "frequency": 1000, "power": 8, "pulse": 100}}}]})";

SimProcess modules_sim() {
    return SimProcess(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--addons", "modules"});
}

// A session without recording: the process then has the pen's descriptors cached. Returns how
// many modules the pen has (RF and the LED heads).
std::size_t connect_once(const SimProcess& sim) {
    auto pen = Pen::connect(sim.url(), stack_options());
    const auto count = pen->modules().size();
    REQUIRE(count >= 2);
    pen->close();
    return count;
}

bool has_command(const RecordingTimeline& timeline, const std::string& type) {
    return std::any_of(timeline.commands.begin(), timeline.commands.end(),
                       [&](const RecordedCommand& c) { return c.type == type; });
}

bool has_channel(const RecordingTimeline& timeline, const std::string& module,
                 const std::string& key) {
    return std::any_of(
        timeline.channels.begin(), timeline.channels.end(),
        [&](const RecordedTelemetryChannel& c) { return c.module == module && c.key == key; });
}

std::vector<std::uint8_t> file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

// The same file as format version 1 wrote it: the header's version 1, frame records only.
std::vector<std::uint8_t> as_version_1(const std::vector<std::uint8_t>& v2) {
    const std::size_t header_size = v2[10] | (v2[11] << 8);
    std::vector<std::uint8_t> out(v2.begin(), v2.begin() + static_cast<long>(header_size));
    out[8] = 1;
    out[9] = 0;
    for (std::size_t at = header_size; at + recording::kRecordHeaderSize <= v2.size();) {
        const std::size_t length = v2[at + 2] | (v2[at + 3] << 8);
        const std::size_t end = at + recording::kRecordHeaderSize + length;
        if (v2[at] != recording::kDescriptorRecord)
            out.insert(out.end(), v2.begin() + static_cast<long>(at),
                       v2.begin() + static_cast<long>(end));
        at = end;
    }
    return out;
}

// The byte offset of the first descriptor record in a version 2 file.
std::size_t first_descriptor_record(const std::vector<std::uint8_t>& bytes) {
    std::size_t at = bytes[10] | (bytes[11] << 8);
    while (at + recording::kRecordHeaderSize <= bytes.size() &&
           bytes[at] != recording::kDescriptorRecord)
        at += recording::kRecordHeaderSize + (bytes[at + 2] | (bytes[at + 3] << 8));
    REQUIRE(at < bytes.size());
    return at;
}

}  // namespace

TEST_CASE("a second session in one process records the descriptors it had cached",
          "[replay][timeline][descriptors]") {
    TempDir dir;
    SimProcess sim = modules_sim();
    const auto modules = connect_once(sim);

    const auto path = dir.file("second.plrec");
    {
        auto options = stack_options();
        options.record_path = path;
        auto pen = Pen::connect(sim.url(), options);
        treatment::Runner runner(*pen, treatment::parse_recipe(kRfRecipe));
        runner.start();
        const auto result = runner.wait_for(std::chrono::seconds(30));
        REQUIRE(result);
        INFO(result->reason);
        REQUIRE(result->outcome == treatment::RunOutcome::Completed);
        pen->close();
    }

    const RecordingTimeline timeline = read_recording_timeline(path);
    CHECK(timeline.warning.empty());
    // The cache answered: no descriptor crossed the link in this session...
    CHECK_FALSE(has_command(timeline, "ReadDescriptor"));
    // ...yet the file names the modules' channels and counts the RF they delivered.
    CHECK(has_channel(timeline, "rf", "energy"));
    CHECK(has_channel(timeline, "led", "dose"));
    REQUIRE(!timeline.statuses.empty());
    CHECK(timeline.statuses.back().rf_energy_j > 0.0);

    const auto file = recording::read_recording(path);
    CHECK(file.version == recording::kVersion);
    CHECK(file.descriptors.size() == modules);  // each once

    // Replayed in this process (descriptors cached, so none is read): the connect matches the
    // recording and the modules are those recorded. (The status stream waits for the runner's
    // commands, which this host does not send; test_penctl_records replays from a fresh
    // process, which reads every descriptor from the recording.)
    auto replayed = Pen::connect("replay://" + path + "?speed=8", stack_options());
    CHECK(replayed->modules().size() == modules);
    CHECK(replayed->module("rf").descriptor().has_profile("rf"));
    replayed->close();
}

TEST_CASE("a recording started mid-session holds the descriptors of the modules fitted",
          "[timeline][descriptors]") {
    TempDir dir;
    SimProcess sim = modules_sim();
    auto pen = Pen::connect(sim.url(), stack_options());
    const auto modules = pen->modules().size();
    REQUIRE(modules >= 2);
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    const auto path = dir.file("later.plrec");
    Recorder recorder = pen->start_recording(path);
    REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
    recorder.stop();
    pen->close();

    const auto file = recording::read_recording(path);
    REQUIRE(file.descriptors.size() == modules);
    CHECK(file.descriptors[0].slot != file.descriptors[1].slot);
    for (const auto& recorded : file.descriptors)
        CHECK_NOTHROW(parse_module_descriptor(file.text_of(recorded)));
    const RecordingTimeline timeline = read_recording_timeline(path);
    CHECK_FALSE(has_command(timeline, "ReadDescriptor"));
    CHECK(has_channel(timeline, "rf", "energy"));
    CHECK(has_channel(timeline, "led", "dose"));
}

TEST_CASE(
    "an old (version 1) recording reads, and a misplaced or broken descriptor record is refused",
    "[timeline][descriptors]") {
    TempDir dir;
    SimProcess sim = modules_sim();
    const auto modules = connect_once(sim);
    const auto path = dir.file("v2.plrec");
    {
        auto options = stack_options();
        options.record_path = path;
        auto pen = Pen::connect(sim.url(), options);
        REQUIRE(wait_for_status(*pen, [](const Status&) { return true; }));
        pen->close();
    }
    const auto v2 = file_bytes(path);
    const auto current = recording::read_recording(path);
    REQUIRE(current.descriptors.size() == modules);

    SECTION("the version 1 layout of the same session reads, without the channels it never held") {
        const auto v1_path = dir.file("v1.plrec");
        write_bytes(v1_path, as_version_1(v2));
        const auto old = recording::read_recording(v1_path);
        CHECK(old.version == 1);
        CHECK(old.warning.empty());
        CHECK(old.descriptors.empty());
        CHECK(old.records.size() == current.records.size());
        const RecordingTimeline timeline = read_recording_timeline(v1_path);
        CHECK(timeline.warning.empty());
        CHECK(timeline.statuses.size() == read_recording_timeline(path).statuses.size());
        CHECK(timeline.channels.empty());  // cached, so never on the wire
        const auto summary = summarize_recording(v1_path);
        CHECK(summary.frames_to_pen + summary.frames_from_pen == old.records.size());
    }
    SECTION("a descriptor record in a version 1 file stops reading there with a warning") {
        auto bytes = v2;
        bytes[8] = 1;
        const auto at = first_descriptor_record(bytes);
        const auto v1_path = dir.file("v1-with-descriptor.plrec");
        write_bytes(v1_path, bytes);
        const auto old = recording::read_recording(v1_path);
        CHECK(old.descriptors.empty());
        CHECK(old.warning_offset == at);
        CHECK_THAT(old.warning, Catch::Contains("record direction 3") &&
                                    Catch::Contains("byte " + std::to_string(at)));
    }
    SECTION("a descriptor record whose text does not match its CRC-32 stops reading there") {
        auto bytes = v2;
        const auto at = first_descriptor_record(bytes);
        bytes[at + recording::kRecordHeaderSize + recording::kDescriptorPrefixSize + 2] ^= 0x20;
        const auto broken_path = dir.file("broken.plrec");
        write_bytes(broken_path, bytes);
        const auto broken = recording::read_recording(broken_path);
        CHECK(broken.warning_offset == at);
        CHECK_THAT(broken.warning,
                   Catch::Contains("CRC-32") && Catch::Contains("byte " + std::to_string(at)));
        CHECK(broken.records.size() < current.records.size());
    }
}
