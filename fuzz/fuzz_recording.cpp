// libFuzzer harness: the session recording parser (recording/recording_reader.hpp), which
// reads files a user hands to replay://, penctl report and summarize_recording, the replay
// script built from what it accepts, and the decoded timeline (read_recording_timeline, what
// Python's penlink.read_recording and penlink.plot read).
//
// Input layout: the whole input is the file's bytes. The seeds (fuzz/corpus/fuzz_recording)
// are recordings of a simulated session, whole and cut short (version 1), and a version 2 one
// with a descriptor record (sim-session-with-descriptor).
//
// Checked on every input, beyond "no crash, no sanitizer report, no leak, no hang":
//   - parse_recording returns or throws InvalidArgumentError / NotSupportedError only;
//   - every record it accepts lies inside the file, after the header and after the record
//     before it, with a length in 1..kMaxRecordBytes, times that never go back, a known
//     direction and flags; descriptor records (format version 2) hold 1..kMaxDescriptorSize
//     bytes of text whose CRC-32 is the one they state; frame and descriptor records together
//     tile the file from the header on up to where a warning says reading stopped (no
//     warning: up to the very end);
//   - the replay script built from it returns or throws NotSupportedError (sealed) only, and
//     refers only to records that exist, in time order, its requests to host frames; its
//     descriptors are filed under their own CRC-32;
//   - the replay matcher, strict and lenient, fed the recording's own requests in order and
//     then reversed and each twice, always answers or gives a reason, and its gate never goes
//     back while it answers;
//   - the timeline never throws, holds no more frames than records, in time order, and its
//     running RF energy and LED dose are finite and never go down.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

#include "api/recording_timeline_build.hpp"
#include "fuzz_support.hpp"
#include "penlink/errors.hpp"
#include "protocol/crc.hpp"
#include "recording/recording_reader.hpp"
#include "transport/replay_matcher.hpp"
#include "transport/replay_script.hpp"

using namespace penlink;
using penlink::fuzz::check;

namespace {

// Every answer either replies or says why the replay ends; the gate never goes back.
void check_answer(const transport::ReplayAnswer& answer, std::uint64_t& gate,
                  const transport::ReplayMatcher& matcher) {
    check(answer.reply.has_value() != !answer.fail_reason.empty());
    if (answer.reply) {
        check(matcher.gate_us() >= gate);
        gate = matcher.gate_us();
    }
}

// The replay matcher (replay_matcher.hpp) in both modes: the recording's own requests in
// order, each answered with its recorded reply in strict mode until one the recording never
// answered; then the same requests reversed and each sent twice, as a confused host would,
// always give an answer or a reason.
void drive_matchers(const transport::ReplayScript& script) {
    for (const auto mode : {transport::ReplayMatch::Strict, transport::ReplayMatch::Lenient}) {
        transport::ReplayMatcher matcher(script, mode);
        std::uint64_t gate = 0;
        for (const auto& request : script.requests) {
            const auto answer = matcher.on_request(request.message);
            check_answer(answer, gate, matcher);
            if (!answer.reply) break;
        }
        transport::ReplayMatcher confused(script, mode);
        gate = 0;
        for (std::size_t i = script.requests.size(); i-- > 0;) {
            const auto& message = script.requests[i].message;
            check_answer(confused.on_request(message), gate, confused);
            check_answer(confused.on_request(message), gate, confused);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    recording::Recording parsed;
    try {
        parsed = recording::parse_recording(std::vector<std::uint8_t>(data, data + size), "fuzz");
    } catch (const InvalidArgumentError&) {
        return 0;
    } catch (const NotSupportedError&) {
        return 0;
    }
    check(parsed.data.size() == size);
    check(parsed.version >= 1 && parsed.version <= recording::kVersion);
    check(parsed.description.size() <= recording::kMaxDescriptionLength);
    // Every accepted record as (start of its bytes, end of its bytes, time), in file order.
    std::vector<std::tuple<std::size_t, std::size_t, std::uint64_t>> spans;
    for (const auto& record : parsed.records) {
        check(record.size >= 1 && record.size <= recording::kMaxRecordBytes);
        check(record.direction == recording::Direction::HostToPen ||
              record.direction == recording::Direction::PenToHost);
        check((record.flags & ~recording::kKnownFlags) == 0);
        spans.emplace_back(record.offset, record.offset + record.size, record.time_us);
    }
    check(parsed.version >= 2 || parsed.descriptors.empty());
    for (const auto& descriptor : parsed.descriptors) {
        check(descriptor.size >= 1 && descriptor.size <= protocol::kMaxDescriptorSize);
        check(descriptor.offset >= recording::kDescriptorPrefixSize);
        check(descriptor.offset + descriptor.size <= size);
        check(protocol::crc32(std::span(data + descriptor.offset, descriptor.size)) ==
              descriptor.crc);
        spans.emplace_back(descriptor.offset - recording::kDescriptorPrefixSize,
                           descriptor.offset + descriptor.size, descriptor.time_us);
    }
    std::sort(spans.begin(), spans.end());
    std::size_t end = recording::kFixedHeaderSize + parsed.description.size();
    std::uint64_t previous_time = 0;
    bool first = true;
    for (const auto& [start, stop, time_us] : spans) {
        check(start >= end + recording::kRecordHeaderSize);
        if (!first) check(start == end + recording::kRecordHeaderSize);
        check(stop <= size);
        check(time_us >= previous_time);
        previous_time = time_us;
        end = stop;
        first = false;
    }
    if (parsed.warning.empty()) check(spans.empty() || end == size);
    if (!parsed.warning.empty()) check(end <= size);

    const auto records = parsed.records.size();
    const RecordingTimeline timeline = api::build_timeline(parsed);
    check(timeline.statuses.size() + timeline.events.size() + timeline.commands.size() +
              timeline.undecodable_frames + timeline.sealed_frames <=
          records);
    double t_s = 0.0, rf = 0.0, led = 0.0;
    for (const RecordedStatus& status : timeline.statuses) {
        check(status.t_s >= t_s && status.t_s <= timeline.duration_s);
        check(std::isfinite(status.rf_energy_j) && status.rf_energy_j >= rf);
        check(std::isfinite(status.led_dose_j_cm2) && status.led_dose_j_cm2 >= led);
        t_s = status.t_s;
        rf = status.rf_energy_j;
        led = status.led_dose_j_cm2;
    }
    check(timeline.warning.empty() == (timeline.warning_offset == 0));
    try {
        const auto script = transport::build_replay_script(std::move(parsed));
        std::uint64_t time = 0;
        for (const auto& frame : script.unsolicited) {
            check(frame.record < records);
            check(frame.time_us >= time);
            time = frame.time_us;
        }
        time = 0;
        std::size_t previous_record = 0;
        for (const auto& request : script.requests) {
            check(request.time_us >= time);
            check(request.record < records);
            check(request.record >= previous_record);
            check(script.recording.records[request.record].direction ==
                  recording::Direction::HostToPen);
            time = request.time_us;
            previous_record = request.record;
        }
        check(script.requests.size() + script.unsolicited.size() + script.undecodable <= records);
        for (const auto& [crc, text] : script.descriptors) {
            check(!text.empty() && text.size() <= protocol::kMaxDescriptorSize);
            check(protocol::crc32(std::span(reinterpret_cast<const std::uint8_t*>(text.data()),
                                            text.size())) == crc);
        }
        drive_matchers(script);
    } catch (const NotSupportedError&) {
    }
    return 0;
}
