// A scripted pen behind a fake transport, for unit tests of core::Session.
//
// The fake plays the device side of protocol v1 with the real codec (encode_frame and
// FrameDecoder), so the session under test sees genuine frames. By default it answers like a
// well-behaved pen: HelloReply, Info, and Ack for everything else. A test bends it with a hook
// (called for each request; return true to take over the answer), by muting message types,
// or by silencing it altogether; it can push status frames, events, raw bytes and link errors.
//
// Threads: the transport runs on the session's I/O thread, as a real one does. Everything the
// fake sends to the session is posted through the session's executor, so replies never re-enter the
// session from inside its own send(). The test thread may call any FakePen method at any time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "transport/link_executor.hpp"

#include "core/session.hpp"
#include "protocol/frame.hpp"
#include "transport/transport.hpp"

namespace penlink::test {

/// One request as the fake pen received it.
struct ReceivedFrame {
    std::uint16_t seq = 0;
    protocol::MessageType type{};
    protocol::Message message;
};

/// The Info a fake pen reports unless a test changes it: 0.25-2.50 mm in 0.05 mm steps,
/// 50-150 Hz, RF 1000-2000 kHz up to 20 W, LED 415/633 nm, status up to 100 Hz.
protocol::Info fake_pen_info();

class FakePen : public std::enable_shared_from_this<FakePen> {
public:
    /// Called for each request on the I/O thread; return true if the hook answered (or chose
    /// not to), false for the default answer.
    using Hook = std::function<bool(FakePen& pen, const ReceivedFrame& frame)>;

    static std::shared_ptr<FakePen> create() { return std::shared_ptr<FakePen>(new FakePen()); }

    /// The factory a Session takes: each call makes a transport wired to this pen.
    core::Session::LinkFactory link_factory();

    // ---- behaviour (set before or during a test) -------------------------------------------
    void set_info(const protocol::Info& info);
    protocol::Info info() const;
    void set_hook(Hook hook);
    /// Requests of this type are recorded but never answered.
    void mute(protocol::MessageType type);
    void unmute(protocol::MessageType type);
    /// A silent pen answers nothing at all (a hung device, or a cable that carries nothing back).
    void set_silent(bool silent);

    // ---- what the pen sends (any thread) ---------------------------------------------------
    /// Sends message with the given sequence number (a reply echoes the request's).
    void send(std::uint16_t seq, const protocol::Message& message);
    /// Sends the default answer for a request.
    void answer(const ReceivedFrame& frame);
    /// Sends a Status frame with this status_seq (the frame seq is the pen's own counter).
    void send_status(std::uint32_t status_seq, protocol::PenState state = protocol::PenState::Idle);
    void send_event(protocol::EventKind kind, std::uint32_t detail);
    /// Forgets the session, as a pen does when it restarts (a new boot id; requests are then
    /// answered NoSession until the next Hello).
    void restart();
    std::uint32_t session_id() const;
    /// Raw bytes, e.g. line noise.
    void send_bytes(std::vector<std::uint8_t> bytes);
    /// Reports a link failure to the session, as a transport does when a cable is pulled.
    void fail_link(const std::string& reason);

    // ---- what the pen saw (any thread) -----------------------------------------------------
    std::vector<ReceivedFrame> received() const;
    /// Every byte the session wrote, delimiters included.
    std::vector<std::uint8_t> raw_received() const;
    /// What the fake link says it carries (Transport::link_bytes_per_second); 0 by default.
    void set_link_bytes_per_second(std::size_t rate);
    std::size_t link_bytes_per_second() const;
    /// What the fake link says of the status share and its interval
    /// (Transport::status_share_percent, link_interval); 50 and 0 by default. Set before the
    /// session is built: it reads the interval once.
    void set_link_shape(unsigned status_share_percent, std::chrono::milliseconds interval);
    unsigned status_share_percent() const;
    std::chrono::milliseconds link_interval() const;
    std::vector<ReceivedFrame> received(protocol::MessageType type) const;
    std::size_t count(protocol::MessageType type) const;
    /// True while a transport is open (between open() and close()).
    bool link_open() const;
    int times_opened() const;

private:
    FakePen() = default;
    friend class FakeTransport;

    void attach(const transport::LinkExecutor* io);
    void detach(const transport::LinkExecutor* io);
    void opened(transport::Transport::ReceiveHandler on_receive,
                transport::Transport::ErrorHandler on_error);
    void closed();
    void on_request(const ReceivedFrame& frame);
    void record_bytes(std::span<const std::uint8_t> bytes);
    /// Posts bytes to the session's I/O thread; they reach the session only if the link is open.
    void deliver(std::vector<std::uint8_t> bytes);

    mutable std::mutex mutex_;
    const transport::LinkExecutor* io_ = nullptr;  // the attached session's; null once it is gone
    transport::Transport::ReceiveHandler on_receive_;
    transport::Transport::ErrorHandler on_error_;
    bool open_ = false;
    int times_opened_ = 0;
    protocol::Info info_ = fake_pen_info();
    Hook hook_;
    std::set<protocol::MessageType> muted_;
    bool silent_ = false;
    std::uint16_t unsolicited_seq_ = 0;
    std::uint32_t boot_id_ = 0xB0070001;
    std::uint32_t session_id_ = 0;  // 0 = no session
    std::vector<std::uint8_t> raw_;
    std::size_t link_rate_ = 0;
    unsigned status_share_percent_ = 50;
    std::chrono::milliseconds link_interval_{0};
    std::vector<ReceivedFrame> received_;
};

}  // namespace penlink::test
