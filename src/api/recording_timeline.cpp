#include "api/recording_timeline_build.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "core/conversions.hpp"
#include "penlink/errors.hpp"
#include "penlink/module_descriptor.hpp"
#include "protocol/frame.hpp"
#include "recording/recording_reader.hpp"
#include "transport/replay_script.hpp"

namespace penlink {
namespace {

// A module descriptor put together from the DescriptorChunk replies the pen sent for one slot.
struct DescriptorBytes {
    std::string bytes;
    std::size_t total_size = 0;
};

// Channels whose increases count as RF energy or LED dose (as src/treatment/step_meter.cpp).
struct MeteredChannel {
    std::int32_t slot = 0;
    std::int32_t channel = 0;
    double scale = 1.0;
    bool rf_energy = false;
};

std::optional<double> reading(const Status& status, const MeteredChannel& channel) {
    const int count = std::min(status.telemetry_count, kMaxTelemetryReadings);
    for (int i = 0; i < count; ++i) {
        const TelemetryReading& r = status.telemetry[static_cast<std::size_t>(i)];
        if (r.slot == channel.slot && r.channel == channel.channel) return r.raw * channel.scale;
    }
    return std::nullopt;
}

void add_chunk(std::map<std::uint8_t, DescriptorBytes>& descriptors,
               const protocol::DescriptorChunk& chunk) {
    DescriptorBytes& d = descriptors[chunk.slot];
    // A chunk that does not continue what we have starts the descriptor again (a re-read).
    if (chunk.offset == 0 || chunk.total_size != d.total_size || chunk.offset != d.bytes.size()) {
        if (chunk.offset != 0) return;
        d = DescriptorBytes{{}, chunk.total_size};
    }
    d.bytes.append(reinterpret_cast<const char*>(chunk.bytes.data()), chunk.length);
}

// The channels of every descriptor the recording holds whole; one that does not parse is left
// out (its readings stay raw).
std::vector<RecordedTelemetryChannel> channels_of(
    const std::map<std::uint8_t, DescriptorBytes>& descriptors,
    std::vector<MeteredChannel>& metered) {
    std::vector<RecordedTelemetryChannel> channels;
    for (const auto& [slot, d] : descriptors) {
        if (d.total_size == 0 || d.bytes.size() != d.total_size) continue;
        ModuleDescriptor descriptor;
        try {
            descriptor = parse_module_descriptor(d.bytes);
        } catch (const Error&) {
            continue;
        }
        for (const TelemetrySpec& spec : descriptor.telemetry) {
            channels.push_back({slot, static_cast<std::int32_t>(spec.id), descriptor.key, spec.key,
                                spec.unit, spec.scale});
            const bool rf = descriptor.has_profile("rf") && spec.key == "energy";
            const bool led = descriptor.has_profile("led") && spec.key == "dose";
            if (rf || led)
                metered.push_back({slot, static_cast<std::int32_t>(spec.id), spec.scale, rf});
        }
    }
    return channels;
}

// Fills each status's running RF energy and LED dose, once the channels are known (the
// descriptors come before the status they describe, but a session may read them again later).
void accumulate(std::vector<RecordedStatus>& statuses, const std::vector<MeteredChannel>& metered) {
    double rf = 0.0;
    double led = 0.0;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        const Status& now = statuses[i].status;
        if (i > 0) {
            const Status& before = statuses[i - 1].status;
            // Session counters only grow; a drop is a new session and adds nothing.
            rf += std::max(0.0, now.rf_energy_j - before.rf_energy_j);
            led += std::max(0.0, now.led_dose_j_cm2 - before.led_dose_j_cm2);
            for (const MeteredChannel& channel : metered) {
                const auto value = reading(now, channel);
                const auto previous = reading(before, channel);
                if (!value || !previous || *value <= *previous) continue;
                (channel.rf_energy ? rf : led) += *value - *previous;
            }
        }
        statuses[i].rf_energy_j = rf;
        statuses[i].led_dose_j_cm2 = led;
    }
}

}  // namespace

namespace api {

RecordingTimeline build_timeline(const recording::Recording& file) {
    RecordingTimeline timeline;
    timeline.path = file.source;
    timeline.description = file.description;
    timeline.started_unix_ms = static_cast<std::int64_t>(file.started_unix_us / 1000);
    timeline.warning = file.warning;
    timeline.warning_offset = file.warning.empty() ? 0 : file.warning_offset;
    std::map<std::uint8_t, DescriptorBytes> descriptors;
    // A request resent under the same sequence number is one command (replay_script does the
    // same); a short window suffices, as the host resends only requests still in flight.
    std::vector<std::pair<std::uint16_t, protocol::Message>> recent;
    for (const recording::Record& record : file.records) {
        const double t_s = static_cast<double>(record.time_us) / 1e6;
        timeline.duration_s = t_s;
        protocol::DecodedFrame frame;
        const auto error = (record.flags & recording::kFlagNoDelimiter)
                               ? std::optional(protocol::FrameError::Oversized)
                               : protocol::FrameDecoder::decode(file.bytes_of(record), frame);
        if (error == protocol::FrameError::Unexpected) {
            ++timeline.sealed_frames;
            continue;
        }
        if (error) {
            ++timeline.undecodable_frames;
            continue;
        }
        if (record.direction == recording::Direction::HostToPen) {
            if (frame.header.type == protocol::MessageType::Heartbeat) continue;
            const bool resend = std::any_of(recent.begin(), recent.end(), [&](const auto& earlier) {
                return earlier.first == frame.header.seq && earlier.second == frame.message;
            });
            if (resend) continue;
            recent.emplace_back(frame.header.seq, frame.message);
            if (recent.size() > 2 * protocol::kMaxInFlight) recent.erase(recent.begin());
            timeline.commands.push_back({t_s, protocol::to_string(frame.header.type),
                                         transport::describe_request(frame.message)});
            continue;
        }
        if (const auto* status = std::get_if<protocol::Status>(&frame.message)) {
            RecordedStatus recorded;
            recorded.t_s = t_s;
            core::to_status(*status, recorded.status);
            timeline.statuses.push_back(recorded);
        } else if (const auto* event = std::get_if<protocol::Event>(&frame.message)) {
            timeline.events.push_back({t_s, core::to_event(*event)});
        } else if (const auto* chunk = std::get_if<protocol::DescriptorChunk>(&frame.message)) {
            add_chunk(descriptors, *chunk);
        }
    }
    // The descriptors the SDK wrote into the file (format version 2 on) stand in for those the
    // pen did not send whole: a session that had them cached read none over the link.
    for (const recording::RecordedDescriptor& recorded : file.descriptors) {
        DescriptorBytes& d = descriptors[recorded.slot];
        if (d.total_size != 0 && d.bytes.size() == d.total_size) continue;
        d = DescriptorBytes{file.text_of(recorded), recorded.size};
    }
    std::vector<MeteredChannel> metered;
    timeline.channels = channels_of(descriptors, metered);
    accumulate(timeline.statuses, metered);
    return timeline;
}

}  // namespace api

RecordingTimeline read_recording_timeline(const std::string& path) {
    return api::build_timeline(recording::read_recording(path));
}

}  // namespace penlink
