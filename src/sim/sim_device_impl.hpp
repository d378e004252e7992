// Internal to src/sim: SimDevice's state and mechanics (SimDevice::Impl), shared by
// sim_device.cpp (life cycle, the host's link, queries) and sim_device_inputs.cpp (the
// simulated hardware inputs the console and tests drive).
//
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
// fault, a deferred security event; with none of these it does not wake at all (WakePlan in
// wake_plan.hpp says when; WakeTimer in wake_timer.hpp waits for it). Every input
// (bytes from the host, console and test calls) first brings the model up to the wall clock, so
// nothing is observed stale. Idle pens therefore cost no CPU, which is what lets hundreds of
// sim:// pens share one thread (transport/sim_runtime.hpp).
//
// Outgoing frames are batched into fixed buffers (Outbox, outbox.hpp) and handed to the send
// callback once per handler, so a status frame costs no heap allocation.
#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>

#include <boost/asio/post.hpp>

#include "protocol/frame.hpp"
#include "sim/link_admission.hpp"
#include "sim/outbox.hpp"
#include "sim/pen_auth.hpp"
#include "sim/pen_model.hpp"
#include "sim/request_gate.hpp"
#include "sim/sim_device.hpp"
#include "sim/wake_plan.hpp"
#include "sim/wake_timer.hpp"

namespace penlink::sim {

// Further behind the wall clock than this (the io thread was stalled), the device jumps ahead
// in one physics step and skips the missed status frames rather than bursting them all.
inline constexpr std::uint64_t kMaxCatchUpUs = 200'000;
/// A new status stream starts on the next multiple of this of the steady clock (its first
/// frame at most this late): 1 Hz streams of hundreds of idle pens then share a few wake-ups.
inline constexpr std::uint64_t kStatusPhaseGrainUs = 20'000;

// A boot id must differ between power-ons of the same configuration (and between penlink-sim
// processes), so it comes from the system's entropy, not the model's seed.
inline std::uint32_t random_boot_id() {
    std::random_device entropy;
    for (;;) {
        if (const std::uint32_t id = entropy(); id != 0) return id;
    }
}

struct SimDevice::Impl {
    Impl(boost::asio::io_context& io_context, SimConfig sim_config, SendHandler send_handler)
        : io(io_context),
          config(std::move(sim_config)),
          outbox(
              std::move(send_handler), [this] { return can_send(); }, config.link_bytes_per_s),
          model(config),
          auth(config.key, config.auth_mode),
          timer(io_context,
                [this] {
                    if (!running) return;
                    advance_to(timer.wall_uptime_us());
                    schedule();
                }),
          alive(std::make_shared<bool>(true)) {
        if (config.tick_us == 0) config.tick_us = 1000;
        model.set_boot_id(random_boot_id());
    }

    boost::asio::io_context& io;
    SimConfig config;
    Outbox outbox;
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
    WakePlan plan{model, auth, config};
    WakeTimer timer;
    // A posted link drop may still be queued when the device goes away; it checks this.
    std::shared_ptr<bool> alive;

    bool running = false;
    bool stopped = false;  // after stop(): nothing more goes out
    bool powered = true;
    std::uint64_t timer_generation = 0;  // a reboot restarts the tick chain
    std::uint64_t decode_errors = 0;
    std::uint64_t status_dropped = 0;
    std::uint16_t unsolicited_seq = 0;  // pen's own frame counter for Status and Event
    std::uint32_t status_seq = 0;

    bool silent() const { return plan.injections.silent; }
    bool can_send() const { return !silent() && !stopped && powered; }

    void flush() { outbox.flush(); }

    // Replies and events always go out (a paced link's credit may go negative). In an
    // authenticated session each is sealed as it goes out, so a remembered reply sent again
    // carries a new counter.
    void send_frame(const protocol::WireFrame& plain) {
        std::optional<protocol::WireFrame> sealed;
        if (auto* sealer = auth.sealer()) {
            sealed = protocol::seal_frame(plain, *sealer);
            if (!sealed) return;  // counter used up: nothing unsealed goes out
        }
        outbox.add_reply(sealed ? *sealed : plain);
    }

    void send_plain(std::uint16_t seq, const protocol::Message& message) {
        if (auto frame = protocol::encode_frame(seq, message)) outbox.add_reply(*frame);
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
        if (!can_send()) return;
        catch_up();
        if (!can_send()) return;  // the schedule may have just said so
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
        SecurityEventPacing& pacing = plan.security;
        if (!auth.authenticated() || auth.rejected() == pacing.reported) return;
        const std::uint64_t now = model.uptime_us();
        if (!pacing.may_send(now)) return;
        pacing.reported = auth.rejected();
        pacing.last_us = now;
        pacing.sent = true;
        send_message(unsolicited_seq++, protocol::Event{protocol::EventKind::SecurityRejected,
                                                        pacing.reported, model.uptime_ms()});
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

    void send_due_status() {
        StatusTimetable& timetable = plan.status;
        if (timetable.rate_hz == 0 || timetable.next_due_us() > model.uptime_us()) return;
        protocol::Status status;
        model.snapshot(status);
        for (std::uint64_t due = timetable.next_due_us(); due <= model.uptime_us();
             due = timetable.next_due_us()) {
            status.status_seq = status_seq++;
            status.timestamp_ms = static_cast<std::uint32_t>(due / 1000);
            ++timetable.index;
            // Written in place at the lane's end (encode_status_frame: no Message, no copy);
            // a frame that is then dropped is simply not counted into the lane.
            const auto size = protocol::encode_status_frame(unsolicited_seq, status,
                                                            outbox.status_space(), auth.sealer());
            if (!size) continue;
            if (!outbox.add_status(*size)) {
                ++status_dropped;  // no room on the link: dropped, its number stays used
                continue;
            }
            ++unsolicited_seq;
        }
    }

    void apply_injections() {
        const std::uint32_t now_ms = model.uptime_ms();
        InjectionsDone& done = plan.injections;
        if (config.fault_after_ms != 0 && !done.fault && now_ms >= config.fault_after_ms) {
            done.fault = true;
            model.raise_fault(protocol::kFaultInjected);
        }
        if (config.silent_after_ms != 0 && !done.silent && now_ms >= config.silent_after_ms) {
            flush();  // what was due before going silent still goes out
            done.silent = true;
        }
        if (config.reboot_after_ms != 0 && !done.reboot && now_ms >= config.reboot_after_ms) {
            done.reboot = true;
            reboot();
            return;
        }
        if (config.drop_link_after_ms != 0 && !done.drop_link &&
            now_ms >= config.drop_link_after_ms) {
            done.drop_link = true;
            // Posted so the handler may close the link without re-entering this tick.
            if (drop_link)
                boost::asio::post(io, [handler = drop_link, token = alive] {
                    if (*token) handler();
                });
        }
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
            std::max(model.uptime_us(), std::min(plan.next_wake_us(), target_us));
        if (target_us > planned + kMaxCatchUpUs && target_us - model.uptime_us() > tick) {
            step_model(target_us - model.uptime_us() - tick);
            plan.status.restart(model.uptime_us());
        }
        const std::uint64_t generation = timer_generation;
        while (model.uptime_us() + tick <= target_us) {
            const std::uint64_t dt = plan.step_toward(target_us);
            step_model(dt);
            outbox.refill(dt);
            apply_injections();
            if (generation != timer_generation) return;  // rebooted: time starts over
            send_due_status();
            send_events();
            report_rejections();
        }
        report_rejections();
        flush();
    }

    // Brings the model up to the wall clock before an input acts on it or a caller reads it.
    void catch_up() {
        if (running) advance_to(timer.wall_uptime_us());
    }

    // Arms the timer for uptime `at` unless an earlier wait is already pending (that one
    // re-plans when it wakes).
    void arm(std::uint64_t at) {
        if (running) timer.arm(at);
    }

    void schedule() { arm(plan.next_wake_us()); }

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
    void schedule_soon() { arm(std::min(plan.next_wake_us(), model.uptime_us() + config.tick_us)); }

    void sync_status_rate() {
        if (model.status_rate_hz() == plan.status.rate_hz) return;
        plan.status.rate_hz = model.status_rate_hz();
        // The first frame within kStatusPhaseGrainUs, on a grid shared by every simulated pen:
        // streams at the same rate then fall due together (see WakeTimer::aligned_uptime_us).
        plan.status.restart(timer.aligned_uptime_us(model.uptime_us(), kStatusPhaseGrainUs));
    }

    void forget_host() {
        decoder.reset();
        gate.forget();
        auth.end_session();
        decoder.set_opener(nullptr);
        plan.security.forget();
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
        outbox.discard();
        powered = false;
    }

    void power_on() {
        model.reboot(random_boot_id());
        forget_host();
        unsolicited_seq = 0;
        status_seq = 0;
        plan.status = StatusTimetable{};
        outbox.reset_credit();
        outbox.discard();
        powered = true;
        // Uptime starts again at 0: restart the timer against a new epoch.
        ++timer_generation;
        timer.set_uptime(0);
        timer.disarm();
        schedule_soon();
    }

    void reboot() {
        power_off();
        power_on();
    }
};

}  // namespace penlink::sim
