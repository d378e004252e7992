// What the link tells the session shapes it: the status share (protocol.md 11) and, through the
// link's interval, the default timeouts and heartbeat (protocol.md 11.1).
#include <atomic>
#include <future>
#include <thread>

#include <catch2/catch.hpp>

#include "core/link_timing.hpp"
#include "session_fixture.hpp"

namespace penlink::test {
namespace {

using protocol::MessageType;
using std::chrono::milliseconds;

std::int32_t last_requested_rate(FakePen& pen) {
    const auto requests = pen.received(MessageType::SubscribeStatus);
    REQUIRE(!requests.empty());
    return std::get<protocol::SubscribeStatus>(requests.back().message).rate_hz;
}

/// A session on a fake pen whose link says it carries bytes_per_second, gives status the
/// share and sends every interval.
struct ShapedLink {
    ShapedLink(std::size_t bytes_per_second, unsigned share, milliseconds interval)
        : pen(make_pen(bytes_per_second, share, interval)),
          session(
              std::make_shared<core::Session>(pen->link_factory(), "fake://pen", test_options())) {
        auto info = fake_pen_info();
        info.max_status_rate_hz = 1000;
        pen->set_info(info);
        session->connect();
    }
    ~ShapedLink() { session->close(); }
    static std::shared_ptr<FakePen> make_pen(std::size_t rate, unsigned share,
                                             milliseconds interval) {
        auto pen = FakePen::create();
        pen->set_link_bytes_per_second(rate);
        pen->set_link_shape(share, interval);
        return pen;
    }
    std::shared_ptr<FakePen> pen;
    std::shared_ptr<core::Session> session;
};

TEST_CASE("a link that gives status 92% of itself gets that, and the subscriber is told",
          "[session][link]") {
    // BLE at MTU 247 and 15 ms: 244 * 1000 / 15 bytes/s (protocol.md 15.3).
    ShapedLink link(16266, 92, milliseconds(15));
    auto subscription = link.session->subscribe_status([](const Status&) {}, 1000);
    REQUIRE(wait_until([&] { return last_requested_rate(*link.pen) > 10; }));
    // 16266 * 0.92 / 67 bytes per Status frame = 223 frames/s, 91.8% of the link
    CHECK(last_requested_rate(*link.pen) == 223);
    CHECK(223 * 67 >= 0.9 * 16266);

    const StatusRate rate = subscription.status_rate();
    CHECK(rate.requested_hz == 1000);
    CHECK(rate.granted_hz == 223);
    CHECK(rate.limited_by == StatusRateLimit::Link);
    CHECK_THAT(rate.reason, Catch::Contains("fake pen carries about 16266 bytes/s") &&
                                Catch::Contains("92%") && Catch::Contains("223 frames/s"));

    // A subscriber asking less than fits gets what it asked, and hears of no limit.
    auto modest = link.session->subscribe_status([](const Status&) {}, 100);
    const StatusRate modest_rate = modest.status_rate();
    CHECK(modest_rate.requested_hz == 100);
    CHECK(modest_rate.granted_hz == 100);
    CHECK(modest_rate.limited_by == StatusRateLimit::None);
    CHECK(modest_rate.reason.empty());

    // Once ended, a subscription reports nothing; so does a non-status one.
    subscription.unsubscribe();
    CHECK(subscription.status_rate().requested_hz == 0);
    auto events = link.session->subscribe_events([](const Event&) {});
    CHECK(events.status_rate().granted_hz == 0);
    CHECK(events.status_rate().limited_by == StatusRateLimit::None);
}

TEST_CASE("a byte-stream link keeps status to half of it", "[session][link]") {
    // 115200 baud serial, the transport's default share.
    ShapedLink link(11520, transport::Transport::kDefaultStatusSharePercent, milliseconds(0));
    auto subscription = link.session->subscribe_status([](const Status&) {}, 100);
    REQUIRE(wait_until([&] { return last_requested_rate(*link.pen) > 10; }));
    CHECK(last_requested_rate(*link.pen) == 85);  // 11520 / 2 / 67
    CHECK(subscription.status_rate().granted_hz == 85);
    CHECK(subscription.status_rate().limited_by == StatusRateLimit::Link);
}

TEST_CASE("an unlimited link grants every rate the pen allows", "[session][link]") {
    ShapedLink link(0, 92, milliseconds(0));
    auto subscription = link.session->subscribe_status([](const Status&) {}, 1000);
    REQUIRE(wait_until([&] { return last_requested_rate(*link.pen) == 1000; }));
    CHECK(subscription.status_rate().granted_hz == 1000);
    CHECK(subscription.status_rate().limited_by == StatusRateLimit::None);
}

TEST_CASE("default timeouts suit a link without an interval or at 15 ms", "[session][link]") {
    const ConnectOptions defaults;
    for (const milliseconds interval : {milliseconds(0), milliseconds(7), milliseconds(15)}) {
        const auto timing = core::link_timing(defaults, interval, 500);
        CHECK(timing.command_timeout == milliseconds(300));
        CHECK(timing.heartbeat_interval == milliseconds(125));
        // Disarmed: three heartbeats per link timeout, still before the watchdog fires.
        CHECK(timing.idle_heartbeat_interval == milliseconds(333));
        CHECK(timing.link_timeout == milliseconds(1000));
        CHECK(timing.status_silence == milliseconds(1000));
        CHECK(timing.warning.empty());
    }
    CHECK(core::link_timing(defaults, milliseconds(0), 2000).link_timeout == milliseconds(4000));
    CHECK(core::link_timing(defaults, milliseconds(0), 40).heartbeat_interval == milliseconds(20));
}

TEST_CASE("a slow link stretches the default timeouts in proportion", "[session][link]") {
    const ConnectOptions defaults;
    // 100 ms: 100 / 15 times as long (protocol.md 11.1).
    const auto timing = core::link_timing(defaults, milliseconds(100), 500);
    CHECK(timing.command_timeout == milliseconds(2000));
    CHECK(timing.link_timeout == milliseconds(6666));
    CHECK(timing.status_silence == milliseconds(6666));
    // The heartbeat is not stretched: it must reach the pen before its watchdog.
    CHECK(timing.heartbeat_interval == milliseconds(125));
    // Idle, it still reaches the pen two events before the watchdog, with a quarter to spare.
    CHECK(timing.idle_heartbeat_interval == milliseconds(225));
    CHECK(timing.warning.empty());

    // A watchdog too short for the link: one heartbeat per interval, and a warning.
    const auto tight = core::link_timing(defaults, milliseconds(200), 500);
    CHECK(tight.heartbeat_interval == milliseconds(200));
    CHECK(tight.idle_heartbeat_interval == milliseconds(200));
    CHECK_THAT(tight.warning,
               Catch::Contains("200 ms interval") && Catch::Contains("500 ms watchdog"));
    // Room for the heartbeat, but not for a quarter of the watchdog two events early.
    CHECK(core::link_timing(defaults, milliseconds(60), 200).heartbeat_interval ==
          milliseconds(60));
}

TEST_CASE("timeouts the application set win over the link's", "[session][link]") {
    ConnectOptions options;
    options.command_timeout = milliseconds(250);
    options.heartbeat_interval = milliseconds(30);
    options.link_timeout = milliseconds(900);
    const auto timing = core::link_timing(options, milliseconds(100), 500);
    CHECK(timing.command_timeout == milliseconds(250));
    CHECK(timing.heartbeat_interval == milliseconds(30));
    CHECK(timing.idle_heartbeat_interval == milliseconds(30));
    CHECK(timing.link_timeout == milliseconds(900));
    CHECK(timing.warning.empty());
}

TEST_CASE("a session on a slow link waits the stretched command timeout", "[session][link]") {
    // The pen answers SetDepth only after 800 ms: past 300 ms, within 100 ms x 20 intervals.
    auto pen = ShapedLink::make_pen(0, 50, milliseconds(100));
    std::promise<ReceivedFrame> arrived;
    std::atomic<int> set_depths{0};
    pen->set_hook([&](FakePen&, const ReceivedFrame& frame) {
        if (frame.type != MessageType::SetDepth) return false;
        if (set_depths.fetch_add(1) == 0) arrived.set_value(frame);
        return true;
    });
    ConnectOptions options = test_options();
    options.command_timeout = milliseconds(0);  // suited to the link
    options.command_retries = 0;
    auto session = std::make_shared<core::Session>(pen->link_factory(), "fake://pen", options);
    session->connect();
    auto outcome =
        std::async(std::launch::async, [&] { session->request_sync(protocol::SetDepth{1500}); });
    auto request = arrived.get_future();
    REQUIRE(request.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    const ReceivedFrame frame = request.get();
    std::this_thread::sleep_for(milliseconds(800));
    pen->answer(frame);
    CHECK_NOTHROW(outcome.get());
    CHECK(set_depths.load() == 1);  // never resent
    session->close();
}

}  // namespace
}  // namespace penlink::test
