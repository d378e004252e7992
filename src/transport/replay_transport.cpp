#include "transport/replay_transport.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include <boost/asio/post.hpp>

#include "penlink/errors.hpp"
#include "recording/recording_reader.hpp"

namespace penlink::transport {
namespace {

constexpr std::size_t kAnswersKept = protocol::kMaxInFlight * 2;

double parse_speed(const Url& url) {
    const std::string text = url.get("speed", "1");
    char* end = nullptr;
    const double speed = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() ||
        !(speed >= ReplayTransport::kMinSpeed && speed <= ReplayTransport::kMaxSpeed)) {
        throw InvalidArgumentError("replay speed '" + text + "' is not a factor from 0.01 to " +
                                   "1000 (1 = real time, 4 = four times faster)");
    }
    return speed;
}

}  // namespace

ReplayTransport::ReplayTransport(const LinkExecutor& io, const Url& url)
    : io_(io), path_(url.path), timer_(io) {
    for (const auto& [key, value] : url.query) {
        if (key != "speed" && key != "match")
            throw InvalidArgumentError("replay:// has no option '" + key +
                                       "'; it takes speed=N and match=strict|lenient");
    }
    if (path_.empty())
        throw InvalidArgumentError("replay:// needs a recording file: replay:///path/to/file");
    speed_ = parse_speed(url);
    const auto match = url.get("match", "strict");
    const auto mode = replay_match_from_text(match);
    if (!mode)
        throw InvalidArgumentError("replay match '" + match +
                                   "' is neither strict (the default: every request as recorded) "
                                   "nor lenient (housekeeping and read-only queries may differ)");
    match_ = *mode;
    out_.reserve(protocol::kMaxWireFrameSize + 1);
}

ReplayTransport::~ReplayTransport() = default;

void ReplayTransport::open(ReceiveHandler on_receive, ErrorHandler on_error,
                           std::chrono::milliseconds) {
    auto script = build_replay_script(recording::read_recording(path_));
    // The handlers and the script are handed to the io thread, which owns them from here.
    boost::asio::post(io_, [this, script = std::move(script), on_receive = std::move(on_receive),
                            on_error = std::move(on_error)]() mutable {
        matcher_.reset();
        script_ = std::move(script);
        matcher_.emplace(script_, match_);
        on_receive_ = std::move(on_receive);
        on_error_ = std::move(on_error);
        decoder_.reset();
        open_ = true;
        ended_ = false;
        next_frame_ = 0;
        answered_.clear();
        modules_ = {};
        anchor_at(0);
    });
}

std::string ReplayTransport::description() const {
    char factor[32];
    std::snprintf(factor, sizeof factor, "%g", speed_);
    return "replay of " + path_ + " at " + factor + "x" +
           (match_ == ReplayMatch::Lenient ? ", lenient" : "");
}

void ReplayTransport::close() {
    open_ = false;
    timer_.cancel();
}

void ReplayTransport::send(std::span<const std::uint8_t> bytes) {
    if (!open_) return;
    decoder_.feed(
        bytes, [this](const protocol::DecodedFrame& frame) { on_host_frame(frame); },
        [this](protocol::FrameError error) {
            if (error == protocol::FrameError::Unexpected)
                fail(
                    "the host sent a sealed frame; replay:// does not support authenticated "
                    "sessions");
        });
}

void ReplayTransport::on_host_frame(const protocol::DecodedFrame& frame) {
    if (!open_) return;
    const auto seq = frame.header.seq;
    const auto& message = frame.message;
    const auto type = frame.header.type;
    for (const auto& [answered_seq, reply] : answered_) {
        if (answered_seq == seq) {  // a resend: the same answer again
            deliver(reply.view());
            return;
        }
    }
    if (type == protocol::MessageType::Heartbeat) {
        answer(seq, protocol::Ack{type});
        return;
    }
    if (type == protocol::MessageType::Authenticate) {
        fail(
            "the host tried to authenticate; replay:// does not support authenticated "
            "sessions (it does not hold the pen's key)");
        return;
    }
    // Descriptors are answered from what the file holds, whether or not the recorded session
    // read them (this process may have had them cached then, or have them cached now).
    if (const auto* read = std::get_if<protocol::ReadDescriptor>(&message)) {
        answer_descriptor(seq, *read);
        return;
    }
    const auto decision = matcher_->on_request(message);
    if (!decision.reply) {
        fail(decision.fail_reason);
        return;
    }
    if (const auto* modules = std::get_if<protocol::Modules>(&*decision.reply)) modules_ = *modules;
    if (decision.ends_session) ended_ = true;
    // The playback clock only goes forward (a lenient subscription may point back).
    if (decision.anchor_us && *decision.anchor_us >= anchor_us_) anchor_at(*decision.anchor_us);
    answer(seq, *decision.reply);
}

void ReplayTransport::answer(std::uint16_t seq, const protocol::Message& reply) {
    auto frame = protocol::encode_frame(seq, reply);
    if (!frame) {
        fail("a recorded reply does not fit in a frame");
        return;
    }
    answered_.emplace_back(seq, *frame);
    if (answered_.size() > kAnswersKept) answered_.pop_front();
    // Not from inside send(): the host registers its request after handing it to the link.
    boost::asio::post(io_, [this, frame = *frame] {
        if (open_) deliver(frame.view());
    });
}

void ReplayTransport::answer_descriptor(std::uint16_t seq, const protocol::ReadDescriptor& read) {
    const protocol::ModuleEntry* entry = nullptr;
    for (std::size_t i = 0; i < std::min<std::size_t>(modules_.count, protocol::kMaxModules); ++i)
        if (modules_.modules[i].slot == read.slot) entry = &modules_.modules[i];
    const auto found =
        entry ? script_.descriptors.find(entry->descriptor_crc) : script_.descriptors.end();
    if (found == script_.descriptors.end() || found->second.size() != entry->descriptor_size) {
        fail("the host read the descriptor of the module in slot " + std::to_string(read.slot) +
             ", which the recording does not hold" +
             (entry ? std::string() : " (no module is in that slot in the recording)"));
        return;
    }
    const std::string& text = found->second;
    protocol::DescriptorChunk chunk;
    chunk.slot = read.slot;
    chunk.offset = std::min<std::uint16_t>(read.offset, entry->descriptor_size);
    chunk.total_size = entry->descriptor_size;
    chunk.length = static_cast<std::uint8_t>(std::min<std::size_t>(
        {read.length, protocol::kMaxDescriptorChunk, text.size() - chunk.offset}));
    std::copy_n(text.begin() + chunk.offset, chunk.length, chunk.bytes.begin());
    answer(seq, chunk);
}

void ReplayTransport::deliver(std::span<const std::uint8_t> frame) {
    if (on_receive_) on_receive_(frame);
}

std::uint64_t ReplayTransport::gate_us() const {
    return matcher_ ? matcher_->gate_us() : std::numeric_limits<std::uint64_t>::max();
}

void ReplayTransport::anchor_at(std::uint64_t time_us) {
    // What the host was too quick to wait for: status is skipped, events are delivered.
    while (next_frame_ < script_.unsolicited.size() &&
           script_.unsolicited[next_frame_].time_us < time_us) {
        const auto& frame = script_.unsolicited[next_frame_++];
        if (frame.event) {
            const auto bytes = script_.recording.bytes_of(script_.recording.records[frame.record]);
            out_.assign(bytes.begin(), bytes.end());
            out_.push_back(0);
            deliver(out_);
        }
    }
    anchor_us_ = time_us;
    anchor_wall_ = Clock::now();
    schedule_stream();
}

void ReplayTransport::schedule_stream() {
    if (!open_ || ended_ || next_frame_ >= script_.unsolicited.size()) return;
    const auto& frame = script_.unsolicited[next_frame_];
    if (frame.time_us > gate_us()) return;  // waits for the host's next command
    const auto offset = std::chrono::duration<double, std::micro>(
        static_cast<double>(frame.time_us - anchor_us_) / speed_);
    timer_.expires_at(anchor_wall_ + std::chrono::duration_cast<Clock::duration>(offset));
    timer_.async_wait([this](boost::system::error_code error) {
        if (!error) play_due();
    });
}

void ReplayTransport::play_due() {
    if (!open_ || ended_) return;
    const auto now = Clock::now();
    const auto gate = gate_us();
    while (next_frame_ < script_.unsolicited.size()) {
        const auto& frame = script_.unsolicited[next_frame_];
        if (frame.time_us > gate) break;
        const auto offset = std::chrono::duration<double, std::micro>(
            static_cast<double>(frame.time_us - anchor_us_) / speed_);
        if (anchor_wall_ + std::chrono::duration_cast<Clock::duration>(offset) > now) break;
        ++next_frame_;
        const auto bytes = script_.recording.bytes_of(script_.recording.records[frame.record]);
        out_.assign(bytes.begin(), bytes.end());
        out_.push_back(0);
        deliver(out_);
        if (!open_) return;
    }
    schedule_stream();
}

void ReplayTransport::fail(const std::string& reason) {
    if (!open_) return;
    open_ = false;
    timer_.cancel();
    // Posted: the host's request that caused it is registered only after send() returns, and
    // must fail with this reason rather than time out.
    boost::asio::post(io_, [on_error = on_error_, text = "replay of " + path_ + ": " + reason] {
        if (on_error) on_error(text);
    });
}

}  // namespace penlink::transport
