// replay://FILE[?speed=N][&match=strict|lenient] — a recorded session (docs/records.md) played
// back as a pen. How requests are matched is replay_matcher.hpp's; match=lenient lets the
// session's housekeeping and read-only queries differ from the recording.
//
// The pen's status and events come on the recording's timeline (speed 1 = real time, 4 = four
// times faster). Each request the host sends must be the one the recording has next (same type
// and payload; Hello's random nonce aside): it is answered with the recorded reply under the
// host's sequence number. Anything else ends the link with an error naming what the recording
// expected and what came. Unsolicited frames recorded after the next expected request wait for
// it, so status follows the commands as it did; status the host was too quick to wait for is
// skipped (events never are). Heartbeats, resends, EndSession and a repeat of the last status
// subscription (the session's cure for silence) are answered without the recording, and so is
// ReadDescriptor, from the descriptors the recording holds (whether a host reads one depends on
// its process's descriptor cache).
// Authenticated (sealed) recordings are refused at open: replay does not hold the pen's key.
//
// Threads: as Transport; everything runs on the io_context thread.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "protocol/frame.hpp"
#include "transport/link_executor.hpp"
#include "transport/replay_matcher.hpp"
#include "transport/replay_script.hpp"
#include "transport/transport.hpp"
#include "transport/url.hpp"

namespace penlink::transport {

class ReplayTransport final : public Transport {
public:
    /// Throws penlink::InvalidArgumentError for a missing file name, a speed outside
    /// kMinSpeed..kMaxSpeed, a match other than strict or lenient, or an unknown option.
    ReplayTransport(const LinkExecutor& io, const Url& url);
    ~ReplayTransport() override;

    static constexpr double kMinSpeed = 0.01;
    static constexpr double kMaxSpeed = 1000.0;

    /// Reads the recording. Throws InvalidArgumentError (unreadable, not a recording),
    /// NotSupportedError (newer format, sealed session).
    void open(ReceiveHandler on_receive, ErrorHandler on_error,
              std::chrono::milliseconds timeout) override;
    void send(std::span<const std::uint8_t> bytes) override;
    void close() override;
    std::string description() const override;

private:
    using Clock = std::chrono::steady_clock;
    void on_host_frame(const protocol::DecodedFrame& frame);
    void answer(std::uint16_t seq, const protocol::Message& reply);
    /// Answers ReadDescriptor from the descriptors the recording holds, for the module the last
    /// Modules reply put in that slot.
    void answer_descriptor(std::uint16_t seq, const protocol::ReadDescriptor& read);
    void deliver(std::span<const std::uint8_t> frame);
    /// Moves the playback clock to the recorded time of the request just matched.
    void anchor_at(std::uint64_t time_us);
    void schedule_stream();
    void play_due();
    std::uint64_t gate_us() const;
    void fail(const std::string& reason);

    LinkExecutor io_;
    std::string path_;
    double speed_ = 1.0;
    ReplayMatch match_ = ReplayMatch::Strict;
    ReplayScript script_;
    std::optional<ReplayMatcher> matcher_;  // on script_, from open()
    ReceiveHandler on_receive_;
    ErrorHandler on_error_;
    protocol::FrameDecoder decoder_;
    boost::asio::steady_timer timer_;
    bool open_ = false;
    bool ended_ = false;  // EndSession answered: the pen's stream stops
    std::size_t next_frame_ = 0;
    std::uint64_t anchor_us_ = 0;
    Clock::time_point anchor_wall_;
    protocol::Modules modules_;  // the last Modules reply played
    /// The last answers by host seq, for a host's resend.
    std::deque<std::pair<std::uint16_t, protocol::WireFrame>> answered_;
    std::vector<std::uint8_t> out_;  // one frame plus delimiter, reused
};

}  // namespace penlink::transport
