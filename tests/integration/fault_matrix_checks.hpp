// The fault matrix's shared scenario and checks: how a test drives the pen through a fault,
// and the three properties every fault must keep (no hang, every failure typed and bounded,
// no silent loss of a command or a status frame).
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "command_journal.hpp"
#include "fault_proxy.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {

using namespace std::chrono_literals;

/// Patient enough for a busy machine, quick enough that a fault costs a few seconds at most.
inline ConnectOptions matrix_options() {
    ConnectOptions options;
    options.connect_timeout = 5000ms;
    options.command_timeout = 250ms;
    options.command_retries = 5;
    options.link_timeout = 1500ms;
    return options;
}

/// The longest a command may take: every attempt unanswered, plus scheduling slack.
inline std::chrono::milliseconds command_bound(const ConnectOptions& options) {
    return options.command_timeout * (options.command_retries + 1) + 1000ms;
}

/// The simulated pen of the matrix: a 2 s watchdog, so lost heartbeats under heavy faults do
/// not fault the pen in tests that are about the link (the watchdog has its own tests).
inline FaultProxyOptions matrix_setup(std::vector<std::string> sim_args = {},
                                      std::vector<std::string> proxy_args = {}) {
    FaultProxyOptions setup;
    setup.sim_executable = PENLINK_SIM_EXE;
    setup.proxy_executable = PENLINK_PROXY_EXE;
    setup.sim_args = {"--watchdog-ms", "2000"};
    setup.sim_args.insert(setup.sim_args.end(), sim_args.begin(), sim_args.end());
    setup.proxy_args = {"--seed", "7"};
    setup.proxy_args.insert(setup.proxy_args.end(), proxy_args.begin(), proxy_args.end());
    return setup;
}

/// Failures a link fault can cause: no answer in time, or the link went away.
inline const std::set<ErrorCode> kLinkFailures = {ErrorCode::Timeout, ErrorCode::ConnectionLost,
                                                  ErrorCode::NotConnected};

/// The pipelined part of every scenario: bursts of _async commands alternating shallow and
/// deep (fast and slow), a start in front and a stop behind, so a resent frame that overtakes a
/// later one shows. Within a burst no value repeats, so whichever stale command the pen applies
/// last, its value differs from the acknowledged one.
inline void pipelined_bursts(Pen& pen, CommandJournal& journal) {
    auto depth_burst = [&](std::int32_t shallow_um, std::int32_t deep_um) {
        for (std::int32_t i = 0; i < 30; ++i) {
            const std::int32_t um = (i % 2 == 0 ? shallow_um : deep_um) + 50 * (i / 2);
            pen.set_depth_async(Depth::um(um), journal.issue(Setting::Depth, um / 1000.0));
        }
    };
    depth_burst(500, 2000);  // 0.50, 2.00, 0.55, 2.05, ... 1.20, 2.70 mm
    for (std::int32_t i = 0; i < 10; ++i) {
        const std::int32_t hz = i % 2 == 0 ? 60 + 5 * i : 140 - 5 * i;  // 60, 135, 70, 125, ...
        pen.set_speed_async(Speed::hz(hz), journal.issue(Setting::Speed, hz));
    }
    pen.start_async(journal.issue(Setting::Run, 1));
    depth_burst(100, 1300);  // 0.10, 1.30, 0.15, 1.35, ... 0.80, 2.00 mm
    pen.stop_async(journal.issue(Setting::Run, 0));
}

/// The blocking part: one command at a time, each waiting for its outcome.
inline void blocking_commands(Pen& pen, CommandJournal& journal) {
    for (const double mm : {0.75, 1.25, 1.75, 0.25}) {
        journal.run(Setting::Depth, mm, [&] { pen.set_depth(Depth::mm(mm)); });
    }
    journal.run(Setting::Speed, 110, [&] { pen.set_speed(Speed::hz(110)); });
    journal.run(Setting::Run, 1, [&] { pen.start(); });
    journal.run(Setting::Speed, 90, [&] { pen.set_speed(Speed::hz(90)); });
    journal.run(Setting::Run, 0, [&] { pen.stop(); });
}

/// A status frame the pen sampled after this call (it proves the state is current).
inline std::optional<Status> fresh_status(const Pen& pen, std::chrono::milliseconds timeout = 3s) {
    const auto before = pen.received_status_frames();
    if (!wait_until([&] { return pen.received_status_frames() >= before + 3; }, timeout))
        return std::nullopt;
    return pen.latest_status();
}

/// Zero silent losses: the pen's state is what the acknowledgements promised. Returns whether
/// it was.
inline bool check_state_matches_acknowledgements(const Pen& pen, const CommandJournal& journal) {
    const auto status = fresh_status(pen);
    REQUIRE(status.has_value());
    const Allowed depth = journal.allowed(Setting::Depth);
    const Allowed speed = journal.allowed(Setting::Speed);
    const Allowed run = journal.allowed(Setting::Run);
    INFO(journal.summary());
    INFO("status: state " << to_string(status->state) << ", depth set " << status->depth_set_mm
                          << " mm, speed set " << status->speed_set_hz << " Hz, faults 0x"
                          << std::hex << status->fault_bits << std::dec);
    bool matched = true;
    if (depth.acknowledged) {
        INFO("depth: " << depth.describe());
        CHECK(depth.admits(status->depth_set_mm, 0.001));
        matched = matched && depth.admits(status->depth_set_mm, 0.001);
    }
    if (speed.acknowledged) {
        INFO("speed: " << speed.describe());
        CHECK(speed.admits(status->speed_set_hz, 0.01));
        matched = matched && speed.admits(status->speed_set_hz, 0.01);
    }
    if (run.acknowledged) {
        INFO("run (1 start, 0 stop): " << run.describe());
        CHECK(run.admits(status->state == PenState::Running ? 1.0 : 0.0, 0.0));
        matched = matched && run.admits(status->state == PenState::Running ? 1.0 : 0.0, 0.0);
    }
    return matched;
}

/// How long each fault stays on: long enough for a few hundred status frames and several
/// heartbeat periods to cross it.
inline constexpr auto kFaultDuration = 1500ms;

/// Rounds of both parts until kFaultDuration has passed. After each round every command has
/// completed, so the pen must already show what was acknowledged (a resend still on its way
/// that overtakes a later command shows here); the first mismatch is reported, later rounds
/// only check that nothing hangs or fails untyped.
inline void exercise(Pen& pen, CommandJournal& journal, std::chrono::milliseconds bound) {
    const auto end = std::chrono::steady_clock::now() + kFaultDuration;
    bool state_matched = true;
    do {
        pipelined_bursts(pen, journal);
        blocking_commands(pen, journal);
        pipelined_bursts(pen, journal);
        CHECK(journal.wait_all_done(bound + 2000ms));
        if (state_matched) state_matched = check_state_matches_acknowledgements(pen, journal);
        std::this_thread::sleep_for(20ms);  // rounds, not a flood: the machine is shared
    } while (std::chrono::steady_clock::now() < end);
    INFO(journal.summary());
    CHECK(journal.first_violation() == "");
}

/// How reconnect() ended: connected, or the typed error it gave up with.
struct ReconnectOutcome {
    bool connected = false;
    ErrorCode error = ErrorCode::Ok;
    std::string message;
};

/// Calls reconnect() until it succeeds or timeout passes, retrying the failures that only mean
/// "not back yet" (no link, no answer). Each attempt must end within attempt_bound; anything
/// but a penlink::Error escapes and fails the test.
inline ReconnectOutcome reconnect_within(Pen& pen, std::chrono::milliseconds timeout,
                                         std::chrono::milliseconds attempt_bound) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    ReconnectOutcome outcome;
    for (;;) {
        const auto started = std::chrono::steady_clock::now();
        try {
            pen.reconnect();
            outcome.connected = true;
            return outcome;
        } catch (const Error& error) {
            outcome.error = error.code();
            outcome.message = error.what();
        }
        const auto now = std::chrono::steady_clock::now();
        INFO("reconnect() failed after "
             << std::chrono::duration_cast<std::chrono::milliseconds>(now - started).count()
             << " ms: " << outcome.message);
        CHECK(now - started <= attempt_bound);
        const bool not_back_yet = outcome.error == ErrorCode::ConnectionFailed ||
                                  outcome.error == ErrorCode::ConnectionLost ||
                                  outcome.error == ErrorCode::Timeout;
        if (!not_back_yet || now >= deadline) return outcome;
        std::this_thread::sleep_for(50ms);
    }
}

/// Status counters at a moment when no status frame is in flight: the proxy holds the
/// pen-to-host direction for a moment, so the SDK's counters and the proxy's agree in time.
struct StatusCounters {
    std::uint64_t received = 0;
    std::uint64_t dropped = 0;
    std::uint32_t sequence = 0;  // of the newest frame received
    std::uint64_t lost_on_link = 0;
    std::uint64_t through_proxy = 0;  // status frames the proxy took from the pen
    std::uint64_t duplicated = 0;     // frames of any type the proxy sent twice
};

inline StatusCounters quiescent_counters(const Pen& pen, FaultProxy& proxy) {
    proxy.command("stall p2h 1000");
    std::this_thread::sleep_for(150ms);  // frames already written reach the SDK
    StatusCounters counters;
    counters.received = pen.received_status_frames();
    counters.dropped = pen.dropped_status_frames();
    const auto latest = pen.latest_status();
    counters.sequence = latest ? latest->sequence : 0;
    const auto stats = proxy.stats();
    counters.lost_on_link = stats.at("p2h.status_lost");
    counters.through_proxy = stats.at("p2h.status_frames");
    counters.duplicated = stats.at("p2h.duplicated");
    proxy.command("stall p2h 0");
    return counters;
}

/// Every status frame lost on the link is counted as dropped (none more, none less), and
/// every frame that arrived, duplicated or not, is counted as received once.
inline void check_status_accounting(const StatusCounters& before, const StatusCounters& after) {
    const std::uint64_t lost = after.lost_on_link - before.lost_on_link;
    const std::uint64_t sent = after.sequence - before.sequence;
    INFO("status frames sent " << sent << ", lost on the link " << lost << "; SDK counted "
                               << after.received - before.received << " received, "
                               << after.dropped - before.dropped << " dropped; the proxy saw "
                               << after.through_proxy - before.through_proxy << " and duplicated "
                               << after.duplicated - before.duplicated << " frames");
    CHECK(after.dropped - before.dropped == lost);
    CHECK(after.received - before.received == sent - lost);
}

}  // namespace penlink::test
