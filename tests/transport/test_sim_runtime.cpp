// sim:// pens on the shared simulator thread (transport/sim_runtime.hpp): many pens, one thread;
// opening and closing some never disturbs the others; isolated=1 still gives a pen its own.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "frame_helpers.hpp"
#include "io_helpers.hpp"
#include "penlink/errors.hpp"
#include "protocol/frame.hpp"
#include "sim/sim_config.hpp"
#include "transport/inproc_transport.hpp"
#include "transport/sim_runtime.hpp"
#include "transport/transport_factory.hpp"

using namespace penlink::transport;
using namespace penlink::protocol;
using namespace std::chrono_literals;
using namespace penlink::transport::test;

namespace {

// Threads of this process, from /proc/self/status.
int process_threads() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
    }
    return -1;
}

struct OpenPen {
    std::unique_ptr<Transport> transport;
    std::unique_ptr<Collector> collector = std::make_unique<Collector>();
};

OpenPen open_pen(IoThread& io, const std::string& url) {
    OpenPen pen;
    pen.transport = make_transport(parse_url(url), io.ex);
    pen.transport->open(pen.collector->receiver(), pen.collector->error_handler(), 2s);
    return pen;
}

const SimRuntime* runtime_of(const OpenPen& pen) {
    return dynamic_cast<const InprocTransport&>(*pen.transport).runtime();
}

}  // namespace

TEST_CASE("sim:// pens share one simulator thread; isolated=1 has its own", "[inproc][runtime]") {
    IoThread io;
    REQUIRE(SimRuntime::shared_running() == 0);
    const int threads_before = process_threads();

    std::vector<OpenPen> pens;
    for (int i = 0; i < 20; ++i) pens.push_back(open_pen(io, "sim://"));
    CHECK(SimRuntime::shared_running() == 1);
    CHECK(process_threads() == threads_before + 1);  // one thread for twenty pens
    for (const auto& pen : pens) CHECK(runtime_of(pen) == runtime_of(pens.front()));

    OpenPen own = open_pen(io, "sim://?isolated=1");
    CHECK(dynamic_cast<const InprocTransport&>(*own.transport).isolated());
    CHECK(runtime_of(own) != runtime_of(pens.front()));
    CHECK(process_threads() == threads_before + 2);
    pens.push_back(std::move(own));

    // Every pen answers on its own link.
    for (std::size_t i = 0; i < pens.size(); ++i) {
        send_frame(io, *pens[i].transport, static_cast<std::uint16_t>(100 + i), Hello{});
    }
    for (std::size_t i = 0; i < pens.size(); ++i) {
        const auto frames =
            decode_all(pens[i].collector->wait_until(has_frame(MessageType::HelloReply)));
        std::size_t replies = 0;
        for (const auto& frame : frames) {
            if (frame.header.type != MessageType::HelloReply) continue;
            ++replies;
            CHECK(frame.header.seq == 100 + i);
        }
        CHECK(replies == 1);
    }

    for (auto& pen : pens) io.run([&] { pen.transport->close(); });
    pens.clear();
    CHECK(SimRuntime::shared_running() == 0);  // the last pen took the thread with it
    CHECK(process_threads() == threads_before);
}

TEST_CASE("sim://?isolated= takes 0 or 1 only", "[inproc][runtime]") {
    IoThread io;
    CHECK_FALSE(
        dynamic_cast<InprocTransport&>(*make_transport(parse_url("sim://?isolated=0"), io.ex))
            .isolated());
    CHECK_THROWS_AS(make_transport(parse_url("sim://?isolated=yes"), io.ex),
                    penlink::InvalidArgumentError);
    CHECK_THROWS_WITH(
        make_transport(parse_url("sim://?isolated=yes"), io.ex),
        Catch::Contains("isolated=yes") && Catch::Contains("0") && Catch::Contains("1"));
}

TEST_CASE("the watchdog of a pen on the shared thread still switches its outputs off",
          "[inproc][runtime][watchdog]") {
    IoThread io;
    OpenPen neighbour = open_pen(io, "sim://");  // keeps the shared thread busy with a stream
    send_frame(io, *neighbour.transport, 1, Hello{});
    send_frame(io, *neighbour.transport, 2, SubscribeStatus{200});

    OpenPen pen = open_pen(io, "sim://?watchdog_ms=100");
    send_frame(io, *pen.transport, 1, Hello{});
    SetLed led;
    led.enabled = true;
    led.wavelength_nm = penlink::sim::default_sim_config().info.led_channels[0].wavelength_nm;
    led.irradiance_dmw_cm2 = 100;
    send_frame(io, *pen.transport, 2, led);
    // Then the host goes silent: no heartbeat, no request.
    const auto bytes = pen.collector->wait_until([](const std::vector<std::uint8_t>& seen) {
        for (const auto& frame : decode_all(seen)) {
            const auto* event = std::get_if<Event>(&frame.message);
            if (event && event->kind == EventKind::WatchdogExpired) return true;
        }
        return false;
    });
    bool acked = false;
    bool expired = false;
    for (const auto& frame : decode_all(bytes)) {
        acked |= frame.header.seq == 2 && std::holds_alternative<Ack>(frame.message);
        const auto* event = std::get_if<Event>(&frame.message);
        expired |= event && event->kind == EventKind::WatchdogExpired && event->detail == 100;
    }
    CHECK(acked);
    REQUIRE(expired);

    // The pen reports its LED off and the watchdog fault.
    send_frame(io, *pen.transport, 3, SubscribeStatus{50});
    const auto after = decode_all(pen.collector->wait_until(has_frame(MessageType::Status)));
    for (const auto& frame : after) {
        if (const auto* status = std::get_if<Status>(&frame.message)) {
            CHECK((status->led_flags & 0x01) == 0);
            CHECK((status->fault_bits & (1u << kFaultWatchdog)) != 0);
        }
    }
    CHECK(neighbour.collector->errors().empty());
    CHECK(count_frames(neighbour.collector->wait_for_bytes(0), MessageType::Status) > 0);
    io.run([&] {
        pen.transport->close();
        neighbour.transport->close();
    });
}

TEST_CASE("sim:// pens opened and closed concurrently on the shared thread", "[inproc][runtime]") {
    IoThread io;
    // A long-lived pen streaming all along: the churn around it must not disturb it.
    OpenPen streaming = open_pen(io, "sim://");
    send_frame(io, *streaming.transport, 1, Hello{});
    send_frame(io, *streaming.transport, 2, SubscribeStatus{100});
    streaming.collector->wait_until(has_frame(MessageType::Status));

    constexpr int kWorkers = 6;
    constexpr int kRounds = 8;
    std::atomic<int> answered{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < kWorkers; ++w) {
        workers.emplace_back([&, w] {
            try {
                IoThread own_io;  // each worker is its own host, as a Pen would be
                for (int round = 0; round < kRounds; ++round) {
                    const std::string url =
                        (w == 0 && round % 2 == 0) ? "sim://?isolated=1" : "sim://";
                    OpenPen pen = open_pen(own_io, url);
                    auto wire = encode_frame(static_cast<std::uint16_t>(round + 1), Hello{});
                    own_io.run([&] { pen.transport->send(wire->view()); });
                    const auto bytes =
                        pen.collector->wait_until(has_frame(MessageType::HelloReply));
                    if (count_frames(bytes, MessageType::HelloReply) == 1) ++answered;
                    // Close with a request possibly still in flight to the device.
                    own_io.run([&] {
                        pen.transport->send(wire->view());
                        pen.transport->close();
                    });
                    if (!pen.collector->errors().empty()) ++failures;
                }
            } catch (...) {
                ++failures;
            }
        });
    }
    for (auto& worker : workers) worker.join();
    CHECK(answered == kWorkers * kRounds);
    CHECK(failures == 0);

    const std::size_t before =
        count_frames(streaming.collector->wait_for_bytes(0), MessageType::Status);
    CHECK(streaming.collector->wait_until(has_frame(MessageType::Status, before + 5)).size() > 0);
    CHECK(streaming.collector->errors().empty());
    io.run([&] { streaming.transport->close(); });
    CHECK(SimRuntime::shared_running() == 0);
}
