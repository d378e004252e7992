// libFuzzer harness: the host side, core::Session, receiving whatever a broken pen or a noisy
// line delivers while a request is waiting for its answer.
//
// A session is costly to build (two threads and a handshake), so one session lives for the
// whole process, connected once to a scripted pen behind a fake transport; each input is one
// exchange on it:
//   1. the harness sends a request; when the pen sees it, it first sends the bytes the input
//      describes (seq fields may be relative to that request's, so forged replies can really
//      answer it), then a 0x00 and the well-formed answer. The request must complete, with the
//      answer or a typed error, within a bound: a stuck request is a finding.
//   2. a Heartbeat then gets a clean Ack, which must complete successfully, and the session
//      must still count as connected: garbage may cost frames, never the link. The one
//      exception is a well-formed frame saying the pen lost our session (protocol v2: a Status
//      of another session, a Nack NoSession): then the session must be Lost with a reason, and
//      reconnect() must bring it back before the Heartbeat.
//
// Input layout: byte 0 picks the request of step 1, then operations until the input ends:
//   0 raw      n:u8, n bytes as they are
//   1 frame    type:u8 (any of the 19), seq mode:u8, [seq:u16 | delta:u8], n:u8, n payload bytes,
//              framed with a valid header, CRC and COBS
//   2 forged   n:u8, n bytes of frame body (version..payload) given a valid CRC and COBS
// Bit 7 of byte 0 picks the session: plain, or authenticated (docs/protocol.md 16) with a pen
// that seals its answers and the input's "frame" operations; "raw" and "forged" bytes then reach
// the session unsealed and must be rejected without harm.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>

#include "core/log.hpp"
#include "core/session.hpp"
#include "fuzz_support.hpp"
#include "protocol/frame.hpp"
#include "protocol/frame_auth.hpp"
#include "sim/pen_auth.hpp"
#include "sim/sim_config.hpp"
#include "transport/transport.hpp"

using namespace penlink;
using fuzz::check;

namespace {

constexpr auto kOutcomeBound = std::chrono::seconds(10);

/// A typical pen: the simulator's default identity and ranges.
protocol::Info pen_info() { return sim::default_sim_config().info; }

/// The pen's side of the link: answers every request like a well-behaved pen, and sends the
/// current fuzz input's bytes ahead of the answer to the one request it is armed for. With a
/// key it is an authenticating pen (sim::PenAuth): it proves itself in HelloReply, checks the
/// host's Authenticate, and from then on seals its answers and the input's framed messages
/// (so they reach the session as a genuine pen's would); raw and forged bytes stay unsealed.
class ScriptedPen {
public:
    explicit ScriptedPen(std::optional<protocol::crypto::Key> key = std::nullopt) {
        if (key) auth_ = std::make_unique<sim::PenAuth>(key, protocol::AuthMode::Required);
    }

    /// What verifies the host's sealed frames (nullptr until a session is authenticated).
    protocol::FrameOpener* opener() { return auth_ ? auth_->opener() : nullptr; }

    /// The next request the pen sees gets input's bytes first.
    void arm(std::span<const std::uint8_t> input) {
        std::lock_guard lock(mutex_);
        input_.assign(input.begin(), input.end());
        armed_ = true;
    }

    void opened(const transport::LinkExecutor& io,
                transport::Transport::ReceiveHandler on_receive) {
        std::lock_guard lock(mutex_);
        io_ = &io;
        on_receive_ = std::move(on_receive);
    }

    // On the session's I/O thread, like a transport's send().
    void on_request(const protocol::DecodedFrame& request) {
        fuzz::Bytes noise;
        {
            std::lock_guard lock(mutex_);
            if (armed_) {
                armed_ = false;
                noise = build_noise(input_, request.header.seq);
                noise.push_back(0);  // the answer below starts on a clean line
            }
        }
        if (!noise.empty()) deliver(std::move(noise));
        fuzz::Bytes answer;
        append_sealed_if_authenticated(answer, request.header.seq, answer_to(request));
        deliver(std::move(answer));
    }

private:
    protocol::FrameSealer* sealer() { return auth_ ? auth_->sealer() : nullptr; }

    void append_sealed_if_authenticated(fuzz::Bytes& out, std::uint16_t seq,
                                        const protocol::Message& message) {
        const auto frame = protocol::encode_frame(seq, message, sealer());
        check(frame.has_value());
        fuzz::append(out, frame->view());
    }

    protocol::Message answer_to(const protocol::DecodedFrame& request) {
        switch (request.header.type) {
            case protocol::MessageType::Hello: {
                protocol::HelloReply reply;
                reply.boot_id = 0x0B007001;
                reply.session_id = 0x5E551001;
                reply.serial = pen_info().serial;
                if (auth_) auth_->on_hello(std::get<protocol::Hello>(request.message), reply);
                return reply;
            }
            case protocol::MessageType::Authenticate:
                check(auth_ != nullptr);  // a host without a key never authenticates
                return auth_->on_authenticate(request.header.seq,
                                              std::get<protocol::Authenticate>(request.message));
            case protocol::MessageType::GetInfo:
                return pen_info();
            case protocol::MessageType::GetModules:
                return protocol::Modules{};  // no modules: connect reads none
            default:
                return protocol::Ack{request.header.type};
        }
    }

    fuzz::Bytes build_noise(std::span<const std::uint8_t> data, std::uint16_t request_seq) {
        fuzz::ByteReader input(data);
        input.u8();  // picked the request
        fuzz::Bytes out;
        while (!input.empty()) {
            const std::uint8_t op = input.u8() % 3;
            if (op == 0) {
                fuzz::append(out, input.take(input.u8()));
            } else if (op == 1) {
                const auto type = fuzz::kAllTypes[input.u8() % fuzz::kAllTypes.size()];
                const std::uint8_t seq_mode = input.u8();
                // Mostly near the waiting request's seq: that is where a reply can do harm.
                const std::uint16_t seq =
                    (seq_mode & 1) ? input.u16()
                                   : static_cast<std::uint16_t>(
                                         request_seq + static_cast<std::int8_t>(input.u8()));
                const auto payload = input.take(input.u8());
                if (sealer() == nullptr) {
                    fuzz::append_frame_with_payload(out, static_cast<std::uint8_t>(type), seq,
                                                    payload);
                } else {
                    // Sealed under the session's key: a frame of the pen's, whatever it holds.
                    fuzz::Bytes plain;
                    fuzz::append_frame_with_payload(plain, static_cast<std::uint8_t>(type), seq,
                                                    payload);
                    protocol::WireFrame wire;
                    wire.size = plain.size();
                    std::copy(plain.begin(), plain.end(), wire.bytes.begin());
                    if (const auto sealed = protocol::seal_frame(wire, *sealer())) {
                        fuzz::append(out, sealed->view());
                    }
                }
            } else {
                fuzz::append_forged_frame(out, input.take(input.u8()));
            }
        }
        return out;
    }

    /// Posted, as a real transport's reads complete later: the session registers a request
    /// only after send() returns.
    void deliver(fuzz::Bytes bytes) {
        std::lock_guard lock(mutex_);
        if (io_ == nullptr) return;
        ++in_transit_;
        boost::asio::post(*io_, [this, bytes = std::move(bytes)] {
            transport::Transport::ReceiveHandler handler;
            {
                std::lock_guard inner(mutex_);
                handler = on_receive_;
            }
            if (handler) handler(bytes);
            std::lock_guard inner(mutex_);
            --in_transit_;
        });
    }

public:
    /// True once every byte the pen sent has been through the session's receive handler: a
    /// request may complete on a forged reply while the rest of the input is still on its way.
    bool quiet() {
        std::lock_guard lock(mutex_);
        return in_transit_ == 0;
    }

private:
    int in_transit_ = 0;

    std::mutex mutex_;
    const transport::LinkExecutor* io_ = nullptr;
    transport::Transport::ReceiveHandler on_receive_;
    fuzz::Bytes input_;
    bool armed_ = false;
    std::unique_ptr<sim::PenAuth> auth_;  // on the session's I/O thread only
};

class ScriptedLink final : public transport::Transport {
public:
    ScriptedLink(const transport::LinkExecutor& io, ScriptedPen& pen) : io_(io), pen_(pen) {}

    void open(ReceiveHandler on_receive, ErrorHandler, std::chrono::milliseconds) override {
        decoder_.reset();
        pen_.opened(io_, std::move(on_receive));
    }
    void send(std::span<const std::uint8_t> bytes) override {
        decoder_.set_opener(pen_.opener());  // the pen's keys change with its sessions
        decoder_.feed(
            bytes, [this](const protocol::DecodedFrame& frame) { pen_.on_request(frame); },
            [](protocol::FrameError) { fuzz::fail(); });  // the session never sends a bad frame
    }
    void close() override {}
    std::string description() const override { return "scripted fuzz pen"; }

private:
    transport::LinkExecutor io_;
    ScriptedPen& pen_;
    protocol::FrameDecoder decoder_;
};

/// The authenticating pen's key (any fixed one: the fuzzer attacks the framing, not the key).
protocol::crypto::Key fuzz_key() {
    protocol::crypto::Key key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(0x40 + i);
    return key;
}

struct Harness {
    explicit Harness(bool authenticated)
        : pen(authenticated ? std::optional(fuzz_key()) : std::nullopt) {
        // Debug level so the log lines about dropped frames are built (and fuzzed) too.
        core::set_log_sink([](LogLevel, const std::string&) {}, LogLevel::Debug);
        ConnectOptions options;
        if (authenticated) {
            const auto key = fuzz_key();
            options.keys.add(pen_info().serial, {key.begin(), key.end()});
            options.require_authentication = true;
        }
        options.command_timeout = std::chrono::milliseconds(100);
        options.command_retries = 2;
        // No timer of the session's own may interleave with the exchanges.
        options.heartbeat_interval = std::chrono::hours(1);
        options.link_timeout = std::chrono::hours(1);
        session = std::make_shared<core::Session>(
            [this](const transport::LinkExecutor& io) -> std::unique_ptr<transport::Transport> {
                return std::make_unique<ScriptedLink>(io, pen);
            },
            "fuzz://pen", options);
        session->connect();
        check(session->authenticated() == authenticated);
        status_subscription = session->subscribe_status([](const Status&) {}, 100);
        event_subscription = session->subscribe_events([](const Event&) {});
    }
    ~Harness() { session->close(); }

    /// Sends message and waits for its outcome; a request that never completes is a finding.
    Result call(const protocol::Message& message) {
        auto promise = std::make_shared<std::promise<Result>>();
        auto outcome = promise->get_future();
        session->request(message, [promise](const Result& result) { promise->set_value(result); });
        check(outcome.wait_for(kOutcomeBound) == std::future_status::ready);
        return outcome.get();
    }

    ScriptedPen pen;  // before the session, which holds a link that refers to it
    std::shared_ptr<core::Session> session;
    Subscription status_subscription;
    Subscription event_subscription;
};

const protocol::Message kRequests[] = {
    protocol::Heartbeat{}, protocol::SetDepth{1000}, protocol::SetSpeed{10000},
    protocol::Start{},     protocol::GetInfo{},      protocol::Stop{},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Bit 7 of byte 0: the authenticated session (sealed frames both ways) or the plain one.
    static Harness plain(false);
    static Harness authenticated(true);
    const bool sealed = size > 0 && (data[0] & 0x80) != 0;
    Harness& harness = sealed ? authenticated : plain;
    const std::span<const std::uint8_t> input(data, size);
    const auto& request = kRequests[(size > 0 ? data[0] & 0x7F : 0) % std::size(kRequests)];

    harness.pen.arm(input);
    harness.call(request);  // any outcome will do, as long as there is one
    const auto deadline = std::chrono::steady_clock::now() + kOutcomeBound;
    while (!harness.pen.quiet()) {
        check(std::chrono::steady_clock::now() < deadline);
        std::this_thread::yield();
    }

    if (harness.session->state() == ConnectionState::Lost) {
        // Only a frame that says the session is gone may do this; the next connect starts a
        // new one.
        harness.session->connect();
    }
    const Result heartbeat = harness.call(protocol::Heartbeat{});
    check(heartbeat.ok());
    check(harness.session->state() == ConnectionState::Connected);
    check(harness.session->authenticated() == sealed);  // unsealed bytes never end the session
    return 0;
}
