// SimDevice: the PenModel behind protocol v1 framing, driven by one periodic timer.
//
// One timer does everything time-based: each tick advances the physics in tick_us steps up to
// the wall clock, sends the status frames that fell due (any rate up to 20 kHz without a timer
// per frame; each frame carries its exact due time), sends queued events and applies the
// fault-injection schedule. Outgoing frames are batched into a fixed buffer and handed to the
// send callback once per handler, so a status frame costs no heap allocation.
#include "sim/sim_device.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "protocol/frame.hpp"
#include "sim/pen_model.hpp"
#include "sim/reply_cache.hpp"

namespace penlink::sim {

using Clock = std::chrono::steady_clock;

namespace {
// Further behind the wall clock than this (the io thread was stalled), the device jumps ahead
// in one physics step and skips the missed status frames rather than bursting them all.
constexpr std::uint64_t kMaxCatchUpUs = 200'000;
}  // namespace

struct SimDevice::Impl {
    Impl(boost::asio::io_context& io_context, SimConfig sim_config, SendHandler send_handler)
        : io(io_context),
          config(std::move(sim_config)),
          send(std::move(send_handler)),
          model(config),
          timer(io_context),
          alive(std::make_shared<bool>(true)) {
        if (config.tick_us == 0) config.tick_us = 1000;
    }

    boost::asio::io_context& io;
    SimConfig config;
    SendHandler send;
    DropLinkHandler drop_link;
    PenModel model;
    protocol::FrameDecoder decoder;
    ReplyCache replies;
    boost::asio::steady_timer timer;
    // Timer completions may already be queued when the device goes away; they check this.
    std::shared_ptr<bool> alive;
    Clock::time_point epoch{};  // wall time of uptime 0

    bool running = false;
    bool stopped = false;  // after stop(): nothing more goes out
    bool silent = false;
    bool fault_injected = false;
    bool link_dropped = false;
    std::uint64_t decode_errors = 0;
    std::uint16_t unsolicited_seq = 0;  // pen's own frame counter for Status and Event
    std::uint32_t status_seq = 0;

    std::uint16_t status_rate_hz = 0;
    std::uint64_t status_base_us = 0;  // uptime of frame 0 at the current rate
    std::uint64_t status_index = 0;    // next frame number at the current rate

    std::array<std::uint8_t, 8192> out{};
    std::size_t out_size = 0;

    void append(const protocol::WireFrame& frame) {
        if (out_size + frame.size > out.size()) flush();
        std::memcpy(out.data() + out_size, frame.bytes.data(), frame.size);
        out_size += frame.size;
    }

    void flush() {
        if (out_size > 0 && !silent && !stopped && send) send({out.data(), out_size});
        out_size = 0;
    }

    void send_message(std::uint16_t seq, const protocol::Message& message) {
        if (auto frame = protocol::encode_frame(seq, message)) append(*frame);
    }

    void on_frame(const protocol::DecodedFrame& frame) {
        model.feed_watchdog();
        const auto type = frame.header.type;
        if (type == protocol::MessageType::Hello) {
            replies.clear();  // a new session: old sequence numbers mean nothing now
        } else if (const protocol::WireFrame* remembered = replies.find(frame.header.seq, type)) {
            append(*remembered);
            return;
        }
        const protocol::Message reply = model.handle(frame.message);
        if (auto encoded = protocol::encode_frame(frame.header.seq, reply)) {
            replies.store(frame.header.seq, type, *encoded);
            append(*encoded);
        }
        if (model.status_rate_hz() != status_rate_hz) {
            status_rate_hz = model.status_rate_hz();
            status_base_us = model.uptime_us();
            status_index = 0;
        }
        send_events();
    }

    void receive(std::span<const std::uint8_t> bytes) {
        if (silent || stopped) return;
        decoder.feed(
            bytes, [this](const protocol::DecodedFrame& frame) { on_frame(frame); },
            [this](protocol::FrameError) { ++decode_errors; });
        flush();
    }

    void send_events() {
        protocol::Event event;
        while (model.pop_event(event)) send_message(unsolicited_seq++, event);
    }

    std::uint64_t next_status_due_us() const {
        return status_base_us + status_index * 1'000'000ull / status_rate_hz;
    }

    void send_due_status() {
        if (status_rate_hz == 0 || next_status_due_us() > model.uptime_us()) return;
        protocol::Status status;
        model.snapshot(status);
        for (std::uint64_t due = next_status_due_us(); due <= model.uptime_us();
             due = next_status_due_us()) {
            status.status_seq = status_seq++;
            status.timestamp_ms = static_cast<std::uint32_t>(due / 1000);
            send_message(unsolicited_seq++, status);
            ++status_index;
        }
    }

    void apply_injections() {
        const std::uint32_t now_ms = model.uptime_ms();
        if (config.fault_after_ms != 0 && !fault_injected && now_ms >= config.fault_after_ms) {
            fault_injected = true;
            model.raise_fault(protocol::kFaultInjected);
        }
        if (config.silent_after_ms != 0 && !silent && now_ms >= config.silent_after_ms) {
            flush();  // what was due before going silent still goes out
            silent = true;
        }
        if (config.drop_link_after_ms != 0 && !link_dropped &&
            now_ms >= config.drop_link_after_ms) {
            link_dropped = true;
            // Posted so the handler may close the link without re-entering this tick.
            if (drop_link)
                boost::asio::post(io, [handler = drop_link, token = alive] {
                    if (*token) handler();
                });
        }
    }

    void advance_to(std::uint64_t target_us) {
        const std::uint64_t tick = config.tick_us;
        if (target_us > model.uptime_us() + kMaxCatchUpUs) {
            std::uint64_t jump = target_us - model.uptime_us() - tick;
            while (jump > 0) {
                const auto chunk =
                    static_cast<std::uint32_t>(std::min<std::uint64_t>(jump, 1'000'000'000));
                model.step(chunk);
                jump -= chunk;
            }
            status_base_us = model.uptime_us();
            status_index = 0;
        }
        while (model.uptime_us() + tick <= target_us) {
            model.step(static_cast<std::uint32_t>(tick));
            apply_injections();
            send_due_status();
            send_events();
        }
        flush();
    }

    void schedule_tick() {
        timer.expires_at(epoch + std::chrono::microseconds(model.uptime_us() + config.tick_us));
        timer.async_wait([this, token = alive](const boost::system::error_code& error) {
            if (!*token || error || !running) return;
            const auto elapsed =
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch);
            advance_to(static_cast<std::uint64_t>(elapsed.count()));
            schedule_tick();
        });
    }
};

SimDevice::SimDevice(boost::asio::io_context& io, SimConfig config, SendHandler send)
    : impl_(std::make_unique<Impl>(io, std::move(config), std::move(send))) {}

SimDevice::~SimDevice() {
    *impl_->alive = false;
    impl_->timer.cancel();
}

void SimDevice::start() {
    if (impl_->running) return;
    impl_->running = true;
    impl_->stopped = false;
    // uptime continues where it was, so a restarted device keeps monotonic timestamps
    impl_->epoch = Clock::now() - std::chrono::microseconds(impl_->model.uptime_us());
    impl_->schedule_tick();
}

void SimDevice::stop() {
    impl_->running = false;
    impl_->timer.cancel();
    impl_->stopped = true;
    impl_->out_size = 0;
}

void SimDevice::receive(std::span<const std::uint8_t> bytes) { impl_->receive(bytes); }

void SimDevice::on_drop_link(DropLinkHandler handler) { impl_->drop_link = std::move(handler); }

void SimDevice::press_button(std::uint32_t button) {
    impl_->model.press_button(button);
    impl_->send_events();
    impl_->flush();
}

void SimDevice::insert_cartridge(std::uint32_t cartridge_id, std::uint32_t stroke_limit) {
    impl_->model.insert_cartridge(cartridge_id, stroke_limit);
    impl_->send_events();
    impl_->flush();
}

void SimDevice::remove_cartridge() {
    impl_->model.remove_cartridge();
    impl_->send_events();
    impl_->flush();
}

void SimDevice::inject_fault(std::uint32_t fault_bit) {
    impl_->model.raise_fault(fault_bit);
    impl_->send_events();
    impl_->flush();
}

const SimConfig& SimDevice::config() const { return impl_->config; }

void SimDevice::reset_link() {
    impl_->decoder.reset();
    impl_->replies.clear();
}

std::uint64_t SimDevice::decode_errors() const { return impl_->decode_errors; }

}  // namespace penlink::sim
