// Authenticated sessions end to end (docs/protocol.md section 16): the public API against a real
// penlink-sim holding a key, over TCP, a pty and in-process; the typed errors of a wrong key, no
// key and an impostor; a second client on the TCP port; and a man in the middle who records,
// replays, forges and injects frames in both directions.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

#include "auth_helpers.hpp"
#include "penlink-sim/launcher.hpp"
#include "recording_relay.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using simtool::SimProcess;
using std::chrono::milliseconds;

ConnectOptions keyed(const std::string& hex) {
    auto options = stack_options();
    options.keys.add_hex(kAuthSerial, hex);
    return options;
}

std::vector<std::string> keyed_sim(const std::string& transport, const TempFile& key_file) {
    std::vector<std::string> args = {"--quiet", "--serial", kAuthSerial, "--key-file",
                                     key_file.path()};
    if (transport == "tcp") {
        args.insert(args.begin(), {"--tcp", "0"});
    } else {
        args.insert(args.begin(), "--pty");
    }
    return args;
}

// The acceptance scenario: depth, speed, start, status while running, stop.
void run_acceptance(Pen& pen) {
    CHECK(pen.authenticated());
    pen.set_depth(Depth::mm(1.0));
    pen.set_speed(Speed::hz(100));
    pen.start();
    REQUIRE(wait_for_status(pen, [](const Status& s) {
        return s.state == PenState::Running && s.depth_actual_mm > 0.95;
    }));
    pen.stop();
    REQUIRE(wait_for_status(pen, [](const Status& s) { return s.state == PenState::Idle; }));
    const auto stats = pen.security_stats();
    CHECK(stats.authenticated);
    CHECK(stats.forged == 0);
    CHECK(stats.replayed == 0);
    CHECK(stats.unauthenticated == 0);
}

struct Refusal {
    ErrorCode code = ErrorCode::Ok;
    std::string message;
    milliseconds took{0};
};

Refusal refusal_of(const std::string& url, const ConnectOptions& options) {
    const auto begin = std::chrono::steady_clock::now();
    Refusal refusal;
    try {
        Pen::connect(url, options);
        refusal.message = "<connected>";
    } catch (const AuthenticationError& error) {
        refusal.code = error.code();
        refusal.message = error.what();
    }
    refusal.took =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - begin);
    return refusal;
}

}  // namespace

TEST_CASE("the acceptance scenario runs authenticated over TCP, a pty and in-process",
          "[stack][auth]") {
    const TempFile pen_key(kPenKeyHex + "\n", kOwnerOnly);
    SECTION("tcp") {
        SimProcess sim(PENLINK_SIM_EXE, keyed_sim("tcp", pen_key));
        auto pen = Pen::connect(sim.url(), keyed(kPenKeyHex));
        run_acceptance(*pen);
    }
    SECTION("pty") {
        SimProcess sim(PENLINK_SIM_EXE, keyed_sim("pty", pen_key));
        auto pen = Pen::connect(sim.url(), keyed(kPenKeyHex));
        run_acceptance(*pen);
    }
    SECTION("in-process") {
        auto pen = Pen::connect("sim://?serial=" + kAuthSerial + "&key_file=" + pen_key.path(),
                                keyed(kPenKeyHex));
        run_acceptance(*pen);
    }
}

TEST_CASE("a host key file loads, and one others may read is refused naming the file",
          "[stack][auth]") {
    const TempFile good(kAuthSerial + " " + kPenKeyHex + "\n# comment\n", kOwnerOnly);
    PenKeys keys;
    keys.load_file(good.path());
    CHECK(keys.contains(kAuthSerial));
    const TempFile open_file(kAuthSerial + " " + kPenKeyHex + "\n",
                             kOwnerOnly | std::filesystem::perms::others_read);
    const auto message =
        message_of<InvalidArgumentError>([&] { keys.load_file(open_file.path()); });
    CHECK_THAT(message, Catch::Contains(open_file.path()) && Catch::Contains("chmod 600"));
    CHECK_THAT(message, !Catch::Contains(kPenKeyHex));
    const TempFile bad(kAuthSerial + " 00zz\n", kOwnerOnly);
    const auto bad_message = message_of<InvalidArgumentError>([&] { keys.load_file(bad.path()); });
    CHECK_THAT(bad_message, Catch::Contains("line 1") && Catch::Contains("64 hex digits"));
}

TEST_CASE("wrong key, no key and a pen that cannot prove itself are distinct errors",
          "[stack][auth]") {
    const TempFile pen_key(kPenKeyHex + "\n", kOwnerOnly);
    SimProcess sim(PENLINK_SIM_EXE, keyed_sim("tcp", pen_key));

    SECTION("no key for a pen that requires authentication") {
        const auto refusal = refusal_of(sim.url(), stack_options());
        CHECK(refusal.code == ErrorCode::AuthenticationRequired);
        CHECK_THAT(refusal.message, Catch::Contains(kAuthSerial) && Catch::Contains("no key"));
        CHECK(refusal.took < stack_options().connect_timeout);
    }
    SECTION("a key that is not the pen's") {
        const auto refusal = refusal_of(sim.url(), keyed(kOtherKeyHex));
        CHECK(refusal.code == ErrorCode::KeyRejected);
        CHECK_THAT(refusal.message,
                   Catch::Contains(kAuthSerial) && Catch::Contains("not the pen's key"));
        CHECK_THAT(refusal.message, !Catch::Contains(kOtherKeyHex) && !Catch::Contains(kPenKeyHex));
        CHECK(refusal.took < stack_options().connect_timeout);
    }
    SECTION("a pen that does not authenticate although penlink holds its key") {
        SimProcess impostor(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--serial", kAuthSerial});
        const auto refusal = refusal_of(impostor.url(), keyed(kPenKeyHex));
        CHECK(refusal.code == ErrorCode::PenNotAuthentic);
        CHECK_THAT(refusal.message, Catch::Contains("did not authenticate"));
        CHECK(refusal.took < stack_options().connect_timeout);
    }
    SECTION("require_authentication refuses an open pen with no key") {
        SimProcess open_pen(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet", "--serial", kAuthSerial});
        auto options = stack_options();
        options.require_authentication = true;
        CHECK(refusal_of(open_pen.url(), options).code == ErrorCode::AuthenticationRequired);
        options.require_authentication = false;
        auto pen = Pen::connect(open_pen.url(), options);  // development: runs unauthenticated
        CHECK_FALSE(pen->authenticated());
    }
    // The pen is still fine for its real host afterwards.
    auto pen = Pen::connect(sim.url(), keyed(kPenKeyHex));
    CHECK(pen->authenticated());
}

TEST_CASE("a second client on the TCP port cannot move the needle, and can stop it",
          "[stack][auth]") {
    const TempFile pen_key(kPenKeyHex + "\n", kOwnerOnly);
    SimProcess sim(PENLINK_SIM_EXE, keyed_sim("tcp", pen_key));
    auto pen = Pen::connect(sim.url(), keyed(kPenKeyHex));
    pen->set_depth(Depth::mm(1.0));
    pen->start();
    REQUIRE(wait_for_status(*pen, [](const Status& s) { return s.state == PenState::Running; }));

    RawClient intruder(port_of(sim.url()));
    intruder.send(1, protocol::Hello{2, 2, {}});
    auto answer = intruder.reply(1);
    REQUIRE(answer);
    REQUIRE(std::holds_alternative<protocol::Nack>(*answer));
    CHECK(std::get<protocol::Nack>(*answer).reason == protocol::NackReason::InUse);
    intruder.send(2, protocol::SetDepth{3000});
    answer = intruder.reply(2);
    REQUIRE(answer);
    CHECK(std::get<protocol::Nack>(*answer).reason == protocol::NackReason::InUse);
    std::this_thread::sleep_for(milliseconds(200));
    CHECK(pen->latest_status()->depth_set_mm == Approx(1.0));
    CHECK(pen->connection_state() == ConnectionState::Connected);

    intruder.send(3, protocol::EmergencyStop{});
    answer = intruder.reply(3);
    REQUIRE(answer);
    CHECK(std::holds_alternative<protocol::Ack>(*answer));
    CHECK(wait_for_status(*pen,
                          [](const Status& s) { return s.state == PenState::EmergencyStopped; }));
}

TEST_CASE("a recorded session replayed into a new one is rejected frame by frame and as a whole",
          "[stack][auth]") {
    const TempFile pen_key(kPenKeyHex + "\n", kOwnerOnly);
    SimProcess sim(PENLINK_SIM_EXE, keyed_sim("tcp", pen_key));
    std::vector<Bytes> recorded;
    {
        RecordingRelay relay(port_of(sim.url()));
        auto pen = Pen::connect(relay.url(), keyed(kPenKeyHex));
        pen->set_depth(Depth::mm(2.5));
        pen->set_speed(Speed::hz(140));
        pen->start();
        REQUIRE(
            wait_for_status(*pen, [](const Status& s) { return s.state == PenState::Running; }));
        pen->stop();
        pen->close();
        recorded = split_frames(relay.host_bytes());
    }
    REQUIRE(recorded.size() > 8);

    RecordingRelay relay(port_of(sim.url()));
    auto pen = Pen::connect(relay.url(), keyed(kPenKeyHex));
    pen->set_depth(Depth::mm(0.5));
    const auto before = pen->security_stats();
    REQUIRE(before.rejected_by_pen == 0);

    std::size_t sealed = 0;
    for (const auto& frame : recorded) sealed += is_sealed(frame) ? 1 : 0;
    SECTION("frame by frame") {
        for (const auto& frame : recorded) {
            relay.inject_to_pen(frame);
            std::this_thread::sleep_for(milliseconds(5));
        }
    }
    SECTION("as a whole") {
        Bytes all;
        for (const auto& frame : recorded) all.insert(all.end(), frame.begin(), frame.end());
        relay.inject_to_pen(all);
    }
    // Every sealed frame, and the old Authenticate, rejected and counted by the pen; the
    // replayed Hello changed nothing (its host never proved itself).
    REQUIRE(wait_until([&] { return pen->security_stats().rejected_by_pen >= sealed + 1; }));
    std::this_thread::sleep_for(milliseconds(150));
    const auto status = pen->latest_status();
    REQUIRE(status);
    CHECK(status->state == PenState::Idle);
    CHECK(status->depth_set_mm == Approx(0.5));
    CHECK(pen->connection_state() == ConnectionState::Connected);
    CHECK(pen->authenticated());
    pen->set_depth(Depth::mm(0.75));  // the session is still ours
    CHECK(wait_for_status(*pen, [](const Status& s) { return s.depth_set_mm == Approx(0.75); }));
}

TEST_CASE("forged, replayed and injected frames towards the host are rejected and counted",
          "[stack][auth]") {
    const TempFile pen_key(kPenKeyHex + "\n", kOwnerOnly);
    SimProcess sim(PENLINK_SIM_EXE, keyed_sim("tcp", pen_key));
    std::vector<Bytes> old_session;
    {
        RecordingRelay relay(port_of(sim.url()));
        auto pen = Pen::connect(relay.url(), keyed(kPenKeyHex));
        pen->set_depth(Depth::mm(1.0));
        pen->close();
        old_session = split_frames(relay.pen_bytes());
    }
    RecordingRelay relay(port_of(sim.url()));
    auto pen = Pen::connect(relay.url(), keyed(kPenKeyHex));
    std::atomic<int> rejection_events{0};
    auto events = pen->subscribe_events([&](const Event& event) {
        if (event.kind == EventKind::FrameRejected) ++rejection_events;
    });
    Bytes sealed_status;
    REQUIRE(wait_until([&] {
        for (const auto& frame : split_frames(relay.pen_bytes()))
            if (is_sealed(frame) && decoded_of(frame)[1] == 0x84) sealed_status = frame;
        return !sealed_status.empty();
    }));
    const Bytes raw = decoded_of(sealed_status);
    const std::size_t mac_at = raw.size() - 2 - 16, counter_at = mac_at - 4;

    auto flipped = [&](std::size_t at) {
        Bytes tampered = raw;
        tampered[at] ^= 0x01;
        return rewire(tampered);
    };
    Bytes truncated = raw;
    truncated.erase(truncated.begin() + static_cast<std::ptrdiff_t>(mac_at));
    Bytes plain_status = raw;  // the same Status, unsealed: the injection a forger can build
    plain_status[0] &= 0x7F;
    plain_status.erase(plain_status.begin() + static_cast<std::ptrdiff_t>(counter_at),
                       plain_status.begin() + static_cast<std::ptrdiff_t>(mac_at + 16));

    struct Case {
        const char* name;
        Bytes wire;
        std::uint64_t SecurityStats::*counter;
    };
    Bytes old_frame;
    for (const auto& frame : old_session)
        if (is_sealed(frame)) old_frame = frame;
    REQUIRE(!old_frame.empty());
    const std::vector<Case> cases = {
        {"a bit flipped in the payload", flipped(8), &SecurityStats::forged},
        {"a bit flipped in the header", flipped(2), &SecurityStats::forged},
        {"a bit flipped in the counter", flipped(counter_at), &SecurityStats::forged},
        {"a bit flipped in the tag", flipped(mac_at + 3), &SecurityStats::forged},
        {"a truncated tag", rewire(truncated), &SecurityStats::forged},
        {"a frame of the previous session", old_frame, &SecurityStats::forged},
        {"a counter used before (replay)", sealed_status, &SecurityStats::replayed},
        {"an unsealed frame", rewire(plain_status), &SecurityStats::unauthenticated},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const auto before = pen->security_stats();
        relay.inject_to_host(c.wire);
        REQUIRE(
            wait_until([&] { return pen->security_stats().*c.counter == before.*c.counter + 1; }));
        CHECK(pen->connection_state() == ConnectionState::Connected);
        pen->set_depth(Depth::mm(0.5));  // the session stays usable
    }
    CHECK(wait_until([&] { return rejection_events.load() > 0; }));
}

TEST_CASE("a frame injected towards the pen is rejected, and the host hears of it",
          "[stack][auth]") {
    const TempFile pen_key(kPenKeyHex + "\n", kOwnerOnly);
    SimProcess sim(PENLINK_SIM_EXE, keyed_sim("tcp", pen_key));
    RecordingRelay relay(port_of(sim.url()));
    auto pen = Pen::connect(relay.url(), keyed(kPenKeyHex));
    pen->set_depth(Depth::mm(0.5));
    std::atomic<std::uint32_t> reported{0};
    auto events = pen->subscribe_events([&](const Event& event) {
        if (event.kind == EventKind::SecurityRejected) reported = event.detail;
    });
    // An unsealed SetDepth and Start, as the attacker sent them.
    for (const auto& message :
         {protocol::Message{protocol::SetDepth{3000}}, protocol::Message{protocol::Start{}}}) {
        const auto frame = protocol::encode_frame(0x4242, message);
        relay.inject_to_pen({frame->view().begin(), frame->view().end()});
    }
    REQUIRE(wait_until([&] { return reported.load() >= 2; }));
    CHECK(pen->security_stats().rejected_by_pen >= 2);
    std::this_thread::sleep_for(milliseconds(100));
    CHECK(pen->latest_status()->depth_set_mm == Approx(0.5));
    CHECK(pen->latest_status()->state == PenState::Idle);
}

TEST_CASE("change_key installs a new key that the next session needs", "[stack][auth]") {
    const TempFile pen_key(kPenKeyHex + "\n", kOwnerOnly);
    SimProcess sim(PENLINK_SIM_EXE, keyed_sim("tcp", pen_key));
    auto pen = Pen::connect(sim.url(), keyed(kPenKeyHex));
    std::vector<std::uint8_t> new_key(32);
    for (std::size_t i = 0; i < new_key.size(); ++i)
        new_key[i] = static_cast<std::uint8_t>(0xA0 + i);
    CHECK_THROWS_AS(pen->change_key(std::vector<std::uint8_t>(31)), InvalidArgumentError);
    pen->change_key(new_key);
    CHECK(pen_key.text() == kOtherKeyHex + "\n");  // the pen saved it (mode 600)
    pen->close();
    CHECK(refusal_of(sim.url(), keyed(kPenKeyHex)).code == ErrorCode::KeyRejected);
    auto again = Pen::connect(sim.url(), keyed(kOtherKeyHex));
    CHECK(again->authenticated());
    again->set_depth(Depth::mm(0.5));
}

}  // namespace penlink::test
