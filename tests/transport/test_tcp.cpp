// TcpTransport against a real acceptor on 127.0.0.1 (an ephemeral port), served on its own
// io thread like a pen on the network would be.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "io_helpers.hpp"
#include "loopback_server.hpp"
#include "penlink/errors.hpp"
#include "transport/stream_link.hpp"
#include "transport/tcp_transport.hpp"
#include "transport/transport_factory.hpp"

using namespace penlink::transport;
using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using penlink::transport::test::Collector;
using penlink::transport::test::Connected;
using penlink::transport::test::IoThread;
using penlink::transport::test::keep_trying;

TEST_CASE("tcp transport round-trips bytes with a real peer", "[tcp]") {
    Connected link;
    CHECK(link.transport->description() == "tcp 127.0.0.1:" + std::to_string(link.server.port()));

    const std::vector<std::uint8_t> outbound{0x02, 0x01, 0x00, 0xff, 0x00};
    link.io.run([&] { link.transport->send(outbound); });
    CHECK(link.server.read(outbound.size()) == outbound);

    const std::vector<std::uint8_t> inbound{0x00, 0x11, 0x22, 0x33};
    link.server.write(inbound);
    CHECK(link.collector.wait_for_bytes(inbound.size()) == inbound);
    CHECK(link.collector.errors().empty());
}

TEST_CASE("many small sends arrive complete and in call order", "[tcp]") {
    Connected link;
    // 20,000 sends of 1-7 bytes each, issued back to back so most queue behind a write in flight.
    std::vector<std::uint8_t> expected;
    link.io.run([&] {
        std::uint8_t counter = 0;
        for (int i = 0; i < 20'000; ++i) {
            std::array<std::uint8_t, 7> chunk{};
            std::size_t size = static_cast<std::size_t>(i % 7) + 1;
            for (std::size_t j = 0; j < size; ++j) chunk[j] = counter++;
            link.transport->send(std::span<const std::uint8_t>(chunk.data(), size));
            expected.insert(expected.end(), chunk.begin(),
                            chunk.begin() + static_cast<std::ptrdiff_t>(size));
        }
    });
    CHECK(link.server.read(expected.size()) == expected);
    CHECK(link.collector.errors().empty());
}

TEST_CASE("large bursts in both directions arrive intact", "[tcp]") {
    Connected link;
    std::vector<std::uint8_t> burst(600'000);
    for (std::size_t i = 0; i < burst.size(); ++i)
        burst[i] = static_cast<std::uint8_t>((i * 31) ^ (i >> 8));
    link.io.run([&] {
        link.transport->send(burst);
        link.transport->send(burst);  // queued behind the first while it is in flight
    });
    auto received = link.server.read(burst.size() * 2);
    REQUIRE(received.size() == burst.size() * 2);
    CHECK(std::equal(burst.begin(), burst.end(), received.begin()));
    CHECK(std::equal(burst.begin(), burst.end(),
                     received.begin() + static_cast<std::ptrdiff_t>(burst.size())));

    link.server.write(burst);
    CHECK(link.collector.wait_for_bytes(burst.size()) == burst);
    CHECK(link.collector.errors().empty());
}

TEST_CASE("a send queue beyond its limit fails the link once", "[tcp]") {
    Connected link;
    std::vector<std::uint8_t> chunk(kMaxQueuedBytes / 2 + 1, 0x55);
    link.io.run([&] {
        link.transport->send(chunk);  // goes in flight
        link.transport->send(chunk);  // queued
        link.transport->send(chunk);  // would exceed the queue limit
        link.transport->send(chunk);  // the link is already failed: ignored
    });
    auto errors = link.collector.wait_for_error();
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("send queue") && Catch::Contains("not reading"));
}

TEST_CASE("the server closing the connection is reported once", "[tcp]") {
    Connected link;
    link.server.close_peer();
    auto errors = link.collector.wait_for_error();
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("127.0.0.1:" + std::to_string(link.server.port())) &&
                              Catch::Contains("closed by the other end"));
    link.io.run([&] { link.transport->send(std::vector<std::uint8_t>{1}); });
    link.io.run([] {});
    CHECK(link.collector.errors().size() == 1);
}

TEST_CASE("over TCP a caller holding the pen's guard takes what has arrived, on its own thread",
          "[tcp]") {
    Connected link;
    link.collector.set_io_thread(link.io.thread_id());
    {
        LinkGuard::Hold hold(*link.io.guard);
        CHECK_FALSE(link.transport->input_waiting());
        link.server.write({1, 2, 3, 4, 5});
        CHECK(keep_trying([&] { return link.transport->input_waiting(); }));
        CHECK(link.transport->receive_now());
        CHECK(link.collector.bytes_elsewhere() == 5);
        CHECK_FALSE(link.transport->input_waiting());
        CHECK_FALSE(link.transport->receive_now());
    }
    link.server.write({6, 7});
    CHECK(link.collector.wait_for_bytes(7) == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7});
    CHECK(link.collector.bytes_elsewhere() == 5);
    CHECK(link.collector.errors().empty());
}

TEST_CASE("over TCP input for a muted reader waits for its caller, then reaches the I/O thread",
          "[tcp]") {
    Connected link;
    link.collector.set_io_thread(link.io.thread_id());
    link.io.run([] {});  // the I/O thread waits for input (its first wait would end a mute)
    link.transport->mute_reader(true);
    link.transport->mute_reader(true);  // two callers at once: muting nests
    link.server.write({1, 2, 3});
    CHECK(keep_trying([&] { return link.transport->input_waiting(); }));
    std::this_thread::sleep_for(50ms);
    CHECK(link.collector.bytes().empty());
    link.transport->mute_reader(false);
    std::this_thread::sleep_for(50ms);
    CHECK(link.collector.bytes().empty());
    link.transport->mute_reader(false);  // the last caller went to sleep: the I/O thread reads
    CHECK(link.collector.wait_for_bytes(3) == std::vector<std::uint8_t>{1, 2, 3});
    CHECK(link.collector.bytes_elsewhere() == 0);
    link.server.write({4});
    CHECK(link.collector.wait_for_bytes(4) == std::vector<std::uint8_t>{1, 2, 3, 4});
    // The peer closing while muted is seen once the caller unmutes.
    link.transport->mute_reader(true);
    link.server.close_peer();
    std::this_thread::sleep_for(20ms);
    link.transport->mute_reader(false);
    const auto errors = link.collector.wait_for_error();
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("closed by the other end"));
}

TEST_CASE("over TCP once a write has had to be queued, muting no longer holds input back",
          "[tcp]") {
    Connected link;
    link.collector.set_io_thread(link.io.thread_id());
    std::vector<std::uint8_t> long_burst(1000, 0x5a);  // more than one write on this thread
    link.io.run([&] { link.transport->send(long_burst); });
    CHECK(link.server.read(long_burst.size()) == long_burst);
    link.transport->mute_reader(true);
    link.server.write({7, 8});
    CHECK(link.collector.wait_for_bytes(2) == std::vector<std::uint8_t>{7, 8});
    CHECK(link.collector.bytes_elsewhere() == 0);
    link.transport->mute_reader(false);
    CHECK(link.collector.errors().empty());
}

TEST_CASE("the server closing the connection under a caller's read is reported once", "[tcp]") {
    Connected link;
    {
        LinkGuard::Hold hold(*link.io.guard);
        link.server.close_peer();
        CHECK(keep_trying([&] {
            link.transport->receive_now();
            return !link.collector.errors().empty();
        }));
    }
    link.io.run([] {});  // the I/O thread's own wake-up finds the link failed already
    const auto errors = link.collector.errors();
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::Contains("closed by the other end"));
    LinkGuard::Hold hold(*link.io.guard);
    CHECK_FALSE(link.transport->receive_now());
}

TEST_CASE("connecting to a closed port fails with ConnectionFailed naming host:port", "[tcp]") {
    IoThread io;
    std::uint16_t port = 0;
    {
        // Bind and release an ephemeral port so nothing listens there.
        tcp::acceptor probe(io.io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
        port = probe.local_endpoint().port();
    }
    Collector collector;
    auto transport = make_transport(parse_url("tcp://127.0.0.1:" + std::to_string(port)), io.ex);
    try {
        transport->open(collector.receiver(), collector.error_handler(), 2s);
        FAIL("connected to a closed port");
    } catch (const penlink::ConnectionError& error) {
        CHECK(error.code() == penlink::ErrorCode::ConnectionFailed);
        CHECK_THAT(error.what(), Catch::Contains("127.0.0.1:" + std::to_string(port)) &&
                                     Catch::Contains("refused"));
    }
}

TEST_CASE("an unresolvable host fails with ConnectionFailed naming it", "[tcp]") {
    IoThread io;
    Collector collector;
    auto transport = make_transport(parse_url("tcp://no-such-host.invalid:7878"), io.ex);
    try {
        transport->open(collector.receiver(), collector.error_handler(), 3s);
        FAIL("resolved a .invalid host");
    } catch (const penlink::TimeoutError&) {
        SUCCEED("resolution outlasted the timeout");  // a slow resolver is not our bug
    } catch (const penlink::ConnectionError& error) {
        CHECK_THAT(error.what(), Catch::Contains("no-such-host.invalid"));
    }
}

TEST_CASE("tcp URLs with options are rejected", "[tcp]") {
    IoThread io;
    CHECK_THROWS_AS(make_transport(parse_url("tcp://127.0.0.1:7878?nodelay=0"), io.ex),
                    penlink::InvalidArgumentError);
    CHECK_THROWS_WITH(make_transport(parse_url("tcp://127.0.0.1:7878?nodelay=0"), io.ex),
                      Catch::Contains("unknown option 'nodelay'"));
}

TEST_CASE("a connect that gets no answer times out with TimeoutError", "[tcp]") {
    IoThread io;
    // A listener that never accepts: once its backlog is full the kernel drops further SYNs,
    // so the next connect gets no answer at all, like a pen that is switched off.
    tcp::acceptor listener(io.io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    listener.listen(0);
    const std::string address = "127.0.0.1:" + std::to_string(listener.local_endpoint().port());

    std::vector<std::unique_ptr<Transport>> fillers;
    std::optional<std::string> timeout_message;
    for (int attempt = 0; attempt < 16 && !timeout_message; ++attempt) {
        auto transport = make_transport(parse_url("tcp://" + address), io.ex);
        try {
            transport->open([](std::span<const std::uint8_t>) {}, [](const std::string&) {}, 300ms);
            fillers.push_back(std::move(transport));
        } catch (const penlink::TimeoutError& error) {
            CHECK(error.code() == penlink::ErrorCode::Timeout);
            timeout_message = error.what();
        }
    }
    REQUIRE(timeout_message);
    CHECK(*timeout_message == "connecting to tcp " + address + " timed out after 300 ms");
    io.run([&] {
        for (auto& filler : fillers) filler->close();
    });
}

TEST_CASE("handlers may close the transport from inside a callback", "[tcp]") {
    IoThread io;
    penlink::transport::test::Server server;
    server.accept();
    auto transport = make_transport(parse_url(server.url()), io.ex);
    Collector collector;
    auto record_error = collector.error_handler();
    // As the session does: on a link error, close the link right there.
    transport->open([](std::span<const std::uint8_t>) {},
                    [&](const std::string& reason) {
                        transport->close();
                        record_error(reason);
                    },
                    2s);
    REQUIRE(server.wait_accepted());
    std::vector<std::uint8_t> chunk(kMaxQueuedBytes / 2 + 1, 0x55);
    io.run([&] {
        for (int i = 0; i < 4; ++i) transport->send(chunk);
    });
    CHECK(collector.wait_for_error().size() == 1);
    io.run([&] { transport->send(chunk); });  // closed: ignored
    CHECK(collector.errors().size() == 1);

    // And a receive handler that closes: later bytes are not delivered.
    penlink::transport::test::Server second;
    second.accept();
    auto closing = make_transport(parse_url(second.url()), io.ex);
    Collector received;
    auto record_bytes = received.receiver();
    closing->open(
        [&](std::span<const std::uint8_t> bytes) {
            record_bytes(bytes);
            closing->close();
        },
        received.error_handler(), 2s);
    REQUIRE(second.wait_accepted());
    second.write({1});
    CHECK(received.wait_for_bytes(1) == std::vector<std::uint8_t>{1});
    second.write({2});
    second.close_peer();
    io.run([] {});
    CHECK(received.wait_for_bytes(0) == std::vector<std::uint8_t>{1});
    CHECK(received.errors().empty());
}

TEST_CASE("an urgent frame overtakes the queue at a frame boundary", "[tcp]") {
    // The emergency stop of protocol v2 (protocol.md 5.4): a peer that is not reading, frames
    // written until the socket takes no more and the rest queued in the link, then one urgent
    // frame; it must arrive whole, between two whole frames, ahead of everything still queued.
    Connected link;
    auto* tcp = dynamic_cast<TcpTransport*>(link.transport.get());
    REQUIRE(tcp != nullptr);
    std::vector<std::uint8_t> frame(99, 0x11);
    frame.push_back(0x00);
    const std::vector<std::uint8_t> urgent{0xEE, 0xEE, 0xEE, 0x00};
    constexpr std::size_t kQueued = 5'000;  // 500 KB queued in the link behind a full socket
    std::size_t written_at_once = 0, frames = 0;
    link.io.run([&] {
        // The socket takes frames as they are sent until its buffers are full (a few MB on
        // loopback with the peer not reading); the first it refuses is queued, its write
        // started, and everything after it waits in the link.
        while (tcp->queued_bytes() == 0 && frames < 200'000) {
            tcp->send(frame);
            ++frames;
        }
        written_at_once = frames - 1;
        for (std::size_t i = 0; i < kQueued; ++i) tcp->send(frame);
        frames += kQueued;
        tcp->send_urgent(urgent);
    });
    REQUIRE(frames < 200'000 + kQueued);  // the socket did fill
    const auto received = link.server.read(frames * frame.size() + urgent.size());
    REQUIRE(received.size() == frames * frame.size() + urgent.size());
    // Split at the delimiters: every piece is a whole ordinary frame or the urgent one.
    std::size_t urgent_at = 0, pieces = 0, begin = 0;
    for (std::size_t i = 0; i < received.size(); ++i) {
        if (received[i] != 0x00) continue;
        const std::vector<std::uint8_t> piece(
            received.begin() + static_cast<std::ptrdiff_t>(begin),
            received.begin() + static_cast<std::ptrdiff_t>(i + 1));
        if (piece == urgent) {
            urgent_at = pieces;
        } else {
            REQUIRE(piece == frame);
        }
        ++pieces;
        begin = i + 1;
    }
    CHECK(pieces == frames + 1);
    // Ahead of it: the frames the socket took at once, and the one whose write had started.
    CHECK(urgent_at == written_at_once + 1);
    CHECK(link.collector.errors().empty());
}

TEST_CASE("an urgent frame waits for the end of a frame that a chunked write cut", "[tcp]") {
    Connected link;
    // One 1000-byte frame: its first write takes kMaxWriteChunk bytes and cuts it.
    std::vector<std::uint8_t> big(999, 0x22);
    big.push_back(0x00);
    std::vector<std::uint8_t> small(9, 0x11);
    small.push_back(0x00);
    const std::vector<std::uint8_t> urgent{0xEE, 0xEE, 0x00};
    link.io.run([&] {
        link.transport->send(big);
        link.transport->send(small);
        link.transport->send_urgent(urgent);
    });
    std::vector<std::uint8_t> expected = big;
    expected.insert(expected.end(), urgent.begin(), urgent.end());
    expected.insert(expected.end(), small.begin(), small.end());
    CHECK(link.server.read(expected.size()) == expected);
}
