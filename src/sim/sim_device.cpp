// SimDevice: the PenModel behind protocol v2 framing and its RequestGate (reply cache,
// supersession), driven by one timer that wakes only when something is due.
//
// One timer does everything time-based: each wake advances the physics up to the wall clock,
// sends the status frames that fell due (any rate up to 20 kHz without a timer per frame; each
// frame carries its exact due time), sends queued events and applies the fault-injection
// schedule. While the pen moves (needle running or ramping, depth travelling) it steps every
// tick_us as a real controller loop would. A pen at rest (PenModel::at_rest) changes only in ways
// one long step computes exactly, so the timer then sleeps until the next thing due: a status
// frame at the subscribed rate, the watchdog deadline, a protection threshold, an injected
// fault, a deferred security event; with none of these it does not wake at all. Every input
// (bytes from the host, console and test calls) first brings the model up to the wall clock, so
// nothing is observed stale. Idle pens therefore cost no CPU, which is what lets hundreds of
// sim:// pens share one thread (transport/sim_runtime.hpp).
//
// Outgoing frames are batched into a fixed buffer and handed to the send callback once per
// handler, so a status frame costs no heap allocation.
#include "sim/sim_device.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <random>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/key_file.hpp"
#include "penlink/errors.hpp"
#include "protocol/frame.hpp"
#include "sim/link_admission.hpp"
#include "sim/module_host.hpp"
#include "sim/pen_auth.hpp"
#include "sim/pen_model.hpp"
#include "sim/request_gate.hpp"

namespace penlink::sim {

using Clock = std::chrono::steady_clock;

namespace {
// Further behind the wall clock than this (the io thread was stalled), the device jumps ahead
// in one physics step and skips the missed status frames rather than bursting them all.
constexpr std::uint64_t kMaxCatchUpUs = 200'000;
// At most one Event SecurityRejected per this interval (docs/protocol.md section 16.6).
constexpr std::uint64_t kSecurityEventIntervalUs = 100'000;
// No wake is due: the timer is not armed.
constexpr std::uint64_t kNever = UINT64_MAX;

// A boot id must differ between power-ons of the same configuration (and between penlink-sim
// processes), so it comes from the system's entropy, not the model's seed.
std::uint32_t random_boot_id() {
    std::random_device entropy;
    for (;;) {
        if (const std::uint32_t id = entropy(); id != 0) return id;
    }
}

struct OutBuffer {
    std::array<std::uint8_t, 8192> bytes{};
    std::size_t size = 0;
};
}  // namespace

struct SimDevice::Impl {
    Impl(boost::asio::io_context& io_context, SimConfig sim_config, SendHandler send_handler)
        : io(io_context),
          config(std::move(sim_config)),
          send(std::move(send_handler)),
          model(config),
          auth(config.key, config.auth_mode),
          timer(io_context),
          alive(std::make_shared<bool>(true)) {
        if (config.tick_us == 0) config.tick_us = 1000;
        model.set_boot_id(random_boot_id());
    }

    boost::asio::io_context& io;
    SimConfig config;
    SendHandler send;
    DropLinkHandler drop_link;
    PenModel model;
    PenAuth auth;
    protocol::FrameDecoder decoder;
    RequestGate gate{model, auth};
    LinkAdmission admission{
        model, auth, gate,
        [this](std::uint16_t seq, const protocol::Message& message) { send_plain(seq, message); },
        [this](std::uint16_t seq, const protocol::Message& message) {
            send_message(seq, message);
        }};
    boost::asio::steady_timer timer;
    // Timer completions may already be queued when the device goes away; they check this.
    std::shared_ptr<bool> alive;
    Clock::time_point epoch{};  // wall time of uptime 0
    // The pending wait: the uptime it ends at (kNever: none) and its number, so a completion of
    // a wait that was re-armed or cancelled since is ignored whatever its error code.
    std::uint64_t armed_at = kNever;
    std::uint64_t arm_id = 0;
    std::uint64_t wakeups = 0;  // timer completions that ran (SimDevice::timer_wakeups)

    bool running = false;
    bool stopped = false;  // after stop(): nothing more goes out
    bool powered = true;
    bool silent = false;
    bool fault_injected = false;
    bool link_dropped = false;
    bool rebooted = false;
    std::uint64_t timer_generation = 0;  // a reboot restarts the tick chain
    std::uint64_t decode_errors = 0;
    std::uint64_t status_dropped = 0;
    std::uint32_t rejections_reported = 0;     // auth.rejected() at the last security event
    std::uint64_t last_security_event_us = 0;  // uptime of the last one
    bool security_event_sent = false;
    std::uint16_t unsolicited_seq = 0;  // pen's own frame counter for Status and Event
    std::uint32_t status_seq = 0;

    std::uint16_t status_rate_hz = 0;
    std::uint64_t status_base_us = 0;  // uptime of frame 0 at the current rate
    std::uint64_t status_index = 0;    // next frame number at the current rate

    // Replies and events, and Status apart, so Status never goes out ahead of a reply.
    OutBuffer out;
    OutBuffer status_out;
    SendHandler status_sink;
    // Paced link (config.link_bytes_per_s): bytes the link could carry now; replies may push it
    // below zero, Status only goes out while it covers the whole frame.
    double link_credit = 0.0;

    void append(OutBuffer& buffer, const protocol::WireFrame& frame) {
        if (buffer.size + frame.size > buffer.bytes.size()) flush();
        std::memcpy(buffer.bytes.data() + buffer.size, frame.bytes.data(), frame.size);
        buffer.size += frame.size;
    }

    bool can_send() const { return !silent && !stopped && powered; }

    void flush() {
        if (out.size > 0 && can_send() && send) send({out.bytes.data(), out.size});
        out.size = 0;
        if (status_out.size > 0 && can_send()) {
            const SendHandler& sink = status_sink ? status_sink : send;
            if (sink) sink({status_out.bytes.data(), status_out.size});
        }
        status_out.size = 0;
    }

    // Replies and events always go out (a paced link's credit may go negative). In an
    // authenticated session each is sealed as it goes out, so a remembered reply sent again
    // carries a new counter.
    void send_frame(const protocol::WireFrame& plain) {
        std::optional<protocol::WireFrame> sealed;
        if (auto* sealer = auth.sealer()) {
            sealed = protocol::seal_frame(plain, *sealer);
            if (!sealed) return;  // counter used up: nothing unsealed goes out
        }
        const protocol::WireFrame& frame = sealed ? *sealed : plain;
        if (config.link_bytes_per_s != 0) link_credit -= static_cast<double>(frame.size);
        append(out, frame);
    }

    void send_plain(std::uint16_t seq, const protocol::Message& message) {
        if (auto frame = protocol::encode_frame(seq, message)) {
            if (config.link_bytes_per_s != 0) link_credit -= static_cast<double>(frame->size);
            append(out, *frame);
        }
    }

    void send_message(std::uint16_t seq, const protocol::Message& message) {
        if (auto frame = protocol::encode_frame(seq, message)) send_frame(*frame);
    }

    void on_frame(const protocol::DecodedFrame& frame) {
        if (admission.admit(frame)) {
            model.feed_watchdog();
            if (auto reply = gate.answer(frame.header.seq, frame.message)) send_frame(*reply);
            // EndSession's Ack went out sealed; the session, and its keys, end with it.
            if (!model.in_session() && auth.authenticated()) auth.end_session();
        }
        decoder.set_opener(auth.opener());
        sync_status_rate();
        send_events();
    }

    void receive(std::span<const std::uint8_t> bytes) {
        if (silent || stopped || !powered) return;
        catch_up();
        if (silent || stopped || !powered) return;  // the schedule may have just said so
        decoder.feed(
            bytes, [this](const protocol::DecodedFrame& frame) { on_frame(frame); },
            [this](protocol::FrameError error) {
                ++decode_errors;
                if (protocol::is_security_error(error)) auth.count_rejected();
            });
        report_rejections();
        flush();
        schedule();
    }

    // Tells the authenticated host that frames were rejected, at most every 100 ms.
    void report_rejections() {
        if (!auth.authenticated() || auth.rejected() == rejections_reported) return;
        const std::uint64_t now = model.uptime_us();
        if (security_event_sent && now - last_security_event_us < kSecurityEventIntervalUs) return;
        rejections_reported = auth.rejected();
        last_security_event_us = now;
        security_event_sent = true;
        send_message(unsolicited_seq++, protocol::Event{protocol::EventKind::SecurityRejected,
                                                        rejections_reported, model.uptime_ms()});
    }

    // A frame from a second link while this one's host holds the session (docs/protocol.md
    // section 16.6): it may make the pen safer; everything else, Hello included, is refused.
    void on_other_link_frame(const protocol::DecodedFrame& frame, const SendHandler& reply) {
        const protocol::Message answer = admission.answer_other_link(frame);
        if (auto encoded = protocol::encode_frame(frame.header.seq, answer)) reply(encoded->view());
        sync_status_rate();
        send_events();
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
            ++status_index;
            // Written in place at the lane's end (encode_status_frame: no Message, no copy);
            // a frame that is then dropped is simply not counted into the lane.
            if (status_out.bytes.size() - status_out.size < protocol::kMaxStatusWireFrameSize)
                flush();
            const auto size = protocol::encode_status_frame(
                unsolicited_seq, status,
                std::span<std::uint8_t>(status_out.bytes).subspan(status_out.size), auth.sealer());
            if (!size) continue;
            if (config.link_bytes_per_s != 0) {
                if (link_credit < static_cast<double>(*size)) {
                    ++status_dropped;  // no room on the link: dropped, its number stays used
                    continue;
                }
                link_credit -= static_cast<double>(*size);
            }
            ++unsolicited_seq;
            status_out.size += *size;
        }
    }

    void refill_link_credit(std::uint64_t dt_us) {
        if (config.link_bytes_per_s == 0) return;
        // At most ~10 ms of traffic (and at least two frames) builds up while the link idles.
        const double burst =
            std::max(2.0 * protocol::kMaxWireFrameSize, config.link_bytes_per_s / 100.0);
        link_credit = std::min(
            burst, link_credit + config.link_bytes_per_s * (static_cast<double>(dt_us) / 1e6));
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
        if (config.reboot_after_ms != 0 && !rebooted && now_ms >= config.reboot_after_ms) {
            rebooted = true;
            reboot();
            return;
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

    // Uptime of the next thing a resting pen must wake for (kNever: nothing): a status frame,
    // the model's own changes (watchdog, protection thresholds), the injection schedule, a
    // security event held back by its interval.
    std::uint64_t next_due_us() const {
        std::uint64_t due = model.next_self_change_us();
        if (status_rate_hz != 0) due = std::min(due, next_status_due_us());
        const auto injection = [&due](std::uint32_t after_ms, bool done) {
            if (after_ms != 0 && !done) due = std::min(due, std::uint64_t{after_ms} * 1000);
        };
        injection(config.fault_after_ms, fault_injected);
        injection(config.silent_after_ms, silent);
        injection(config.reboot_after_ms, rebooted);
        injection(config.drop_link_after_ms, link_dropped);
        if (auth.authenticated() && auth.rejected() != rejections_reported) {
            due = std::min(due, security_event_sent
                                    ? last_security_event_us + kSecurityEventIntervalUs
                                    : model.uptime_us());
        }
        return due;
    }

    // The first point of the tick grid (uptime + n * tick_us, n >= 1) at or after due: the
    // model is stepped to where the per-tick loop would have seen the event.
    std::uint64_t grid_after(std::uint64_t due) const {
        const std::uint64_t now = model.uptime_us();
        const std::uint64_t tick = config.tick_us;
        if (due == kNever) return kNever;
        if (due <= now) return now + tick;
        return now + (due - now + tick - 1) / tick * tick;
    }

    // True when the per-tick loop is what the pen needs anyway: it moves, or a status frame is
    // due within the next tick (a fast stream), so no look-ahead is worth computing.
    bool ticking() const {
        const std::uint64_t next_tick = model.uptime_us() + config.tick_us;
        return !model.at_rest() || (status_rate_hz != 0 && next_status_due_us() <= next_tick);
    }

    // When the timer must next wake: every tick while ticking(), else at the next due.
    std::uint64_t next_wake_us() const {
        return ticking() ? model.uptime_us() + config.tick_us : grid_after(next_due_us());
    }

    void step_model(std::uint64_t dt_us) {
        for (std::uint64_t left = dt_us; left > 0;) {
            const auto chunk =
                static_cast<std::uint32_t>(std::min<std::uint64_t>(left, 1'000'000'000));
            model.step(chunk);
            left -= chunk;
        }
    }

    void advance_to(std::uint64_t target_us) {
        const std::uint64_t tick = config.tick_us;
        // Further behind than planned (the io thread stalled): one jump, missed frames skipped.
        const std::uint64_t planned =
            std::max(model.uptime_us(), std::min(next_wake_us(), target_us));
        if (target_us > planned + kMaxCatchUpUs && target_us - model.uptime_us() > tick) {
            step_model(target_us - model.uptime_us() - tick);
            status_base_us = model.uptime_us();
            status_index = 0;
        }
        const std::uint64_t generation = timer_generation;
        while (model.uptime_us() + tick <= target_us) {
            std::uint64_t dt = tick;
            if (!ticking()) {
                // One step to the next due or to the last grid point before the target:
                // exactly what the per-tick steps in between would have computed.
                const std::uint64_t last =
                    model.uptime_us() + (target_us - model.uptime_us()) / tick * tick;
                dt = std::min(last, grid_after(next_due_us())) - model.uptime_us();
            }
            step_model(dt);
            refill_link_credit(dt);
            apply_injections();
            if (generation != timer_generation) return;  // rebooted: time starts over
            send_due_status();
            send_events();
            report_rejections();
        }
        report_rejections();
        flush();
    }

    std::uint64_t wall_uptime_us() const {
        return static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch).count());
    }

    // Brings the model up to the wall clock before an input acts on it or a caller reads it.
    void catch_up() {
        if (running) advance_to(wall_uptime_us());
    }

    // Arms the timer for uptime `at` unless an earlier wait is already pending (that one
    // re-plans when it wakes).
    void arm(std::uint64_t at) {
        if (!running || at == kNever || (armed_at != kNever && armed_at <= at)) return;
        armed_at = at;
        const std::uint64_t id = ++arm_id;
        timer.expires_at(epoch + std::chrono::microseconds(at));  // cancels the older wait
        timer.async_wait([this, token = alive, id](const boost::system::error_code&) {
            if (!*token || id != arm_id || !running) return;
            armed_at = kNever;
            ++wakeups;
            advance_to(wall_uptime_us());
            schedule();
        });
    }

    void disarm() {
        armed_at = kNever;
        ++arm_id;
        timer.cancel();
    }

    void schedule() { arm(next_wake_us()); }

    // A console or test input: applied to a model brought up to the wall clock, its events
    // sent, and the timer re-planned around what it changed. No extra step is needed: inputs
    // that drop outputs enforce the module interlocks themselves (PenModel::stop_outputs), and
    // one that sets the pen moving makes the plan every tick. An earlier pending wait is kept;
    // it re-plans when it wakes, so a heartbeat pushing the watchdog back costs no re-arm.
    template <typename Apply>
    auto input(Apply&& apply) {
        catch_up();
        struct Finish {
            Impl& self;
            ~Finish() {
                self.send_events();
                self.flush();
                self.schedule();
            }
        } finish{*this};
        return apply();
    }

    // At start and after a reboot: one step at the next tick, then the plan.
    void schedule_soon() { arm(std::min(next_wake_us(), model.uptime_us() + config.tick_us)); }

    void sync_status_rate() {
        if (model.status_rate_hz() == status_rate_hz) return;
        status_rate_hz = model.status_rate_hz();
        status_base_us = model.uptime_us();
        status_index = 0;
    }

    void forget_host() {
        decoder.reset();
        gate.forget();
        auth.end_session();
        decoder.set_opener(nullptr);
        rejections_reported = 0;
        security_event_sent = false;
    }

    void end_session() {
        model.end_session();
        forget_host();
        sync_status_rate();
        send_events();
        flush();
    }

    void power_off() {
        if (!powered) return;
        model.end_session();  // what a power loss does to the outputs
        out.size = 0;
        status_out.size = 0;
        powered = false;
    }

    void power_on() {
        model.reboot(random_boot_id());
        forget_host();
        unsolicited_seq = 0;
        status_seq = 0;
        status_rate_hz = 0;
        status_base_us = 0;
        status_index = 0;
        link_credit = 0.0;
        out.size = 0;
        status_out.size = 0;
        powered = true;
        // Uptime starts again at 0: restart the timer against a new epoch.
        ++timer_generation;
        epoch = Clock::now();
        disarm();
        schedule_soon();
    }

    void reboot() {
        power_off();
        power_on();
    }
};

SimDevice::SimDevice(boost::asio::io_context& io, SimConfig config, SendHandler send)
    : impl_(std::make_unique<Impl>(io, std::move(config), std::move(send))) {
    if (!impl_->config.key_file.empty()) {
        impl_->auth.on_key_changed(
            [path = impl_->config.key_file](const protocol::crypto::Key& key) {
                keys::save_pen_key(path, key);
            });
    }
}

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
    impl_->schedule_soon();
}

void SimDevice::stop() {
    impl_->running = false;
    impl_->disarm();
    impl_->stopped = true;
    impl_->out.size = 0;
    impl_->status_out.size = 0;
}

void SimDevice::receive(std::span<const std::uint8_t> bytes) { impl_->receive(bytes); }

void SimDevice::on_drop_link(DropLinkHandler handler) { impl_->drop_link = std::move(handler); }

void SimDevice::set_status_sink(SendHandler sink) { impl_->status_sink = std::move(sink); }

void SimDevice::press_button(std::uint32_t button) {
    impl_->input([&] { impl_->model.press_button(button); });
}

void SimDevice::press_emergency_stop_button() {
    impl_->input([&] { impl_->model.press_emergency_stop_button(); });
}

void SimDevice::insert_cartridge(std::uint32_t cartridge_id, std::uint32_t stroke_limit) {
    impl_->input([&] { impl_->model.insert_cartridge(cartridge_id, stroke_limit); });
}

void SimDevice::remove_cartridge() {
    impl_->input([&] { impl_->model.remove_cartridge(); });
}

void SimDevice::inject_fault(std::uint32_t fault_bit) {
    impl_->input([&] { impl_->model.raise_fault(fault_bit); });
}

std::uint8_t SimDevice::attach_module(const std::string& path) {
    auto definition = load_module_file(path);  // may throw: nothing changed yet
    return impl_->input([&] {
        const auto slot = impl_->model.attach_module(std::move(definition));
        if (!slot) {
            throw InvalidArgumentError("cannot attach " + path + ": all " +
                                       std::to_string(protocol::kMaxModules) + " slots are taken");
        }
        return *slot;
    });
}

void SimDevice::detach_module(std::uint8_t slot) {
    impl_->input([&] {
        if (!impl_->model.detach_module(slot)) {
            throw InvalidArgumentError("no module in slot " + std::to_string(slot));
        }
    });
}

void SimDevice::corrupt_descriptor_chunks(std::uint8_t slot, std::uint32_t count) {
    if (!impl_->model.corrupt_descriptor_chunks(slot, count)) {
        throw InvalidArgumentError("no module in slot " + std::to_string(slot));
    }
}

void SimDevice::set_temperature_c(double temperature_c) {
    impl_->input([&] { impl_->model.set_temperature_c(temperature_c); });
}
void SimDevice::set_heating_c_per_s(double c_per_s) {
    impl_->input([&] { impl_->model.set_heating_c_per_s(c_per_s); });
}
void SimDevice::set_battery_pct(double pct) {
    impl_->input([&] { impl_->model.set_battery_pct(pct); });
}
void SimDevice::set_drain_pct_per_s(double pct_per_s) {
    impl_->input([&] { impl_->model.set_drain_pct_per_s(pct_per_s); });
}
void SimDevice::set_charging(bool charging) {
    impl_->input([&] { impl_->model.set_charging(charging); });
}

void SimDevice::reboot() {
    impl_->catch_up();
    impl_->reboot();
}
void SimDevice::power_off() {
    impl_->catch_up();
    impl_->power_off();
}
void SimDevice::power_on() {
    impl_->catch_up();
    impl_->power_on();
}
bool SimDevice::powered() const { return impl_->powered; }
void SimDevice::end_session() {
    impl_->catch_up();
    impl_->end_session();
    impl_->schedule();
}

const SimConfig& SimDevice::config() const { return impl_->config; }

void SimDevice::reset_link() { impl_->forget_host(); }

bool SimDevice::controller_active() const {
    impl_->catch_up();  // "heard from lately" is a question about now
    return impl_->powered && impl_->admission.controller_alive();
}

void SimDevice::receive_other_link(std::span<const std::uint8_t> bytes,
                                   protocol::FrameDecoder& decoder, const SendHandler& reply) {
    if (impl_->silent || impl_->stopped || !impl_->powered) return;
    impl_->catch_up();
    decoder.feed(
        bytes,
        [this, &reply](const protocol::DecodedFrame& frame) {
            impl_->on_other_link_frame(frame, reply);
        },
        [](protocol::FrameError) {});
    impl_->flush();
    impl_->schedule();
}

std::uint32_t SimDevice::rejected_frames() const { return impl_->auth.rejected(); }
bool SimDevice::authenticated() const { return impl_->auth.authenticated(); }

void SimDevice::set_busy_for(std::chrono::milliseconds duration) {
    impl_->catch_up();  // busy from now, not from the last step
    impl_->gate.set_busy_until(impl_->model.uptime_us() +
                               static_cast<std::uint64_t>(duration.count()) * 1000);
}

std::uint64_t SimDevice::decode_errors() const { return impl_->decode_errors; }
std::uint64_t SimDevice::status_dropped() const { return impl_->status_dropped; }
const PenModel& SimDevice::model() const {
    impl_->catch_up();
    return impl_->model;
}
std::uint64_t SimDevice::timer_wakeups() const { return impl_->wakeups; }
std::uint64_t SimDevice::next_wakeup_us() const { return impl_->armed_at; }

}  // namespace penlink::sim
