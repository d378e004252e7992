// The recording file on its own: the writer cuts bytes into frames at their delimiters, the
// reader gives them back with their times, and damaged files are read as far as they are whole.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "penlink/errors.hpp"
#include "penlink/recorder.hpp"
#include "protocol/frame.hpp"
#include "recording/recording_reader.hpp"
#include "recording/recording_writer.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using namespace penlink::recording;
using penlink::test::TempDir;
using Clock = RecordingWriter::Clock;

namespace {

std::vector<std::uint8_t> frame_bytes(std::uint16_t seq, const protocol::Message& message) {
    const auto frame = protocol::encode_frame(seq, message);
    REQUIRE(frame);
    return {frame->bytes.begin(), frame->bytes.begin() + frame->size};
}

std::vector<std::uint8_t> file_bytes(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("frames split across reads and joined in one read come back one record each",
          "[recording]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    const auto depth = frame_bytes(7, protocol::SetDepth{1250});
    const auto ack = frame_bytes(7, protocol::Ack{protocol::MessageType::SetDepth});
    const auto status = frame_bytes(1, protocol::Status{});
    const auto t0 = Clock::now();
    {
        RecordingWriter writer(path, "tcp://127.0.0.1:7878 (test)");
        writer.bytes(Direction::HostToPen, depth, t0 + std::chrono::milliseconds(5));
        // The pen's answer arrives in two pieces, the second also carrying a status frame.
        std::vector<std::uint8_t> both(ack);
        both.insert(both.end(), status.begin(), status.end());
        const std::span<const std::uint8_t> all(both);
        writer.bytes(Direction::PenToHost, all.first(3), t0 + std::chrono::milliseconds(6));
        writer.bytes(Direction::PenToHost, all.subspan(3), t0 + std::chrono::milliseconds(7));
        CHECK(writer.frames() == 3);
    }
    const auto recording = read_recording(path);
    CHECK(recording.version == kVersion);
    CHECK(recording.description == "tcp://127.0.0.1:7878 (test)");
    CHECK(recording.warning.empty());
    REQUIRE(recording.records.size() == 3);
    CHECK(recording.records[0].direction == Direction::HostToPen);
    CHECK(recording.records[1].direction == Direction::PenToHost);
    CHECK(recording.records[2].time_us >= recording.records[1].time_us);
    // Stored without the delimiter: exactly the frame as the decoder takes it.
    const auto first = recording.bytes_of(recording.records[0]);
    CHECK(std::vector<std::uint8_t>(first.begin(), first.end()) ==
          std::vector<std::uint8_t>(depth.begin(), depth.end() - 1));
    protocol::DecodedFrame decoded;
    REQUIRE_FALSE(
        protocol::FrameDecoder::decode(recording.bytes_of(recording.records[2]), decoded));
    CHECK(std::holds_alternative<protocol::Status>(decoded.message));

    const auto summary = summarize_recording(path);
    CHECK(summary.frames_to_pen == 1);
    CHECK(summary.frames_from_pen == 2);
    CHECK(summary.status_frames == 1);
    CHECK(summary.undecodable_frames == 0);
    CHECK(summary.duration_s == Approx(0.007).margin(0.002));
}

TEST_CASE("a truncated recording is read up to its last whole record, with a warning",
          "[recording]") {
    TempDir dir;
    const auto path = dir.file("session.plrec");
    {
        RecordingWriter writer(path, "test");
        for (std::uint16_t seq = 0; seq < 10; ++seq)
            writer.bytes(Direction::PenToHost, frame_bytes(seq, protocol::Status{}), Clock::now());
    }
    auto bytes = file_bytes(path);
    const auto whole = read_recording(path).records.size();
    REQUIRE(whole == 10);
    const std::size_t cut = GENERATE(5, 14);  // inside the frame bytes, inside the record header
    bytes.resize(bytes.size() - cut);
    write_bytes(path, bytes);
    const auto recording = read_recording(path);
    CHECK(recording.records.size() == 9);
    CHECK_THAT(recording.warning, Catch::Contains("cut short") && Catch::Contains("record 10"));
    const auto summary = summarize_recording(path);
    CHECK(summary.status_frames == 9);
    CHECK_THAT(summary.warning, Catch::Contains("read up to the last whole record"));
}

TEST_CASE("a file that is not a recording, or of a newer format, is refused by name",
          "[recording]") {
    TempDir dir;
    const auto path = dir.file("other.bin");
    write_bytes(path, {'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK_THROWS_WITH(read_recording(path), Catch::Contains("'" + path +
                                                            "' is not a penlink "
                                                            "session recording"));
    { RecordingWriter writer(path, "test"); }
    auto bytes = file_bytes(path);
    bytes[8] = 9;  // version 9
    write_bytes(path, bytes);
    CHECK_THROWS_AS(read_recording(path), NotSupportedError);
    CHECK_THROWS_WITH(read_recording(path), Catch::Contains("format version 9") &&
                                                Catch::Contains("reads versions 1 to 2"));
    CHECK_THROWS_WITH(read_recording(dir.file("missing.plrec")),
                      Catch::Contains("cannot read the recording file"));
    CHECK_THROWS_WITH(RecordingWriter(dir.file("no/such/dir/x.plrec"), "test"),
                      Catch::Contains("cannot create the recording file"));
}

TEST_CASE("bytes that never meet a delimiter are cut into flagged records, not dropped",
          "[recording]") {
    TempDir dir;
    const auto path = dir.file("noise.plrec");
    const std::vector<std::uint8_t> noise(kMaxRecordBytes + 10, 0x55);
    {
        RecordingWriter writer(path, "test");
        writer.bytes(Direction::PenToHost, noise, Clock::now());
        const std::uint8_t end[1] = {0};
        writer.bytes(Direction::PenToHost, end, Clock::now());
    }
    const auto recording = read_recording(path);
    REQUIRE(recording.records.size() == 2);
    CHECK(recording.records[0].flags == kFlagNoDelimiter);
    CHECK(recording.records[0].size == kMaxRecordBytes);
    CHECK(recording.records[1].size == 10);
    CHECK(summarize_recording(path).undecodable_frames == 2);
}
