// Talking to a real penlink-sim process from a test: its announcement, request/reply
// exchanges over a pty or socket, waiting for a frame, and its control port.
#pragma once

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "child_process.hpp"
#include "protocol/frame.hpp"
#include "sim_control.hpp"

namespace penlink::sim::test {

using namespace std::chrono_literals;

/// penlink-sim's stdout line starting with `prefix` ("PTY ", "TCP ", "CONTROL "), without the
/// prefix, or nullopt if none within 5 s.
inline std::optional<std::string> announced(tooltest::ChildProcess& sim,
                                            const std::string& prefix) {
    return sim.announced(prefix, 5s);
}

/// The port of an announced "127.0.0.1:PORT".
inline std::uint16_t port_of(const std::string& address) {
    return static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
}

inline bool is_reply_type(protocol::MessageType type) {
    return type == protocol::MessageType::Ack || type == protocol::MessageType::Nack ||
           type == protocol::MessageType::HelloReply || type == protocol::MessageType::Info ||
           type == protocol::MessageType::Settings || type == protocol::MessageType::Modules ||
           type == protocol::MessageType::DescriptorChunk || type == protocol::MessageType::Params;
}

/// Reads frames until `want` accepts one (returns it) or `timeout` passes (nullopt). Frames
/// before it are passed to `want` and dropped.
template <typename Stream>
std::optional<protocol::DecodedFrame> await_frame(
    boost::asio::io_context& io, Stream& stream, protocol::FrameDecoder& decoder,
    const std::function<bool(const protocol::DecodedFrame&)>& want,
    std::chrono::milliseconds timeout = 3s) {
    std::optional<protocol::DecodedFrame> found;
    std::array<std::uint8_t, 4096> buffer{};
    bool reading = false;
    bool failed = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!found && !failed && std::chrono::steady_clock::now() < deadline) {
        if (!reading) {
            reading = true;
            stream.async_read_some(boost::asio::buffer(buffer),
                                   [&](const boost::system::error_code& error, std::size_t size) {
                                       reading = false;
                                       if (error) {
                                           failed = true;
                                           return;
                                       }
                                       decoder.feed(
                                           std::span<const std::uint8_t>(buffer.data(), size),
                                           [&](const protocol::DecodedFrame& decoded) {
                                               if (!found && want(decoded)) found = decoded;
                                           },
                                           [](protocol::FrameError) {});
                                   });
        }
        io.restart();
        io.run_for(20ms);
    }
    if (reading) {  // let the cancelled read finish before its buffer goes away
        boost::system::error_code ignored;
        stream.cancel(ignored);
        io.restart();
        io.run_for(1s);
    }
    return found;
}

/// Sends one request and waits (at most 3 s) for the reply with the same seq.
template <typename Stream>
std::optional<protocol::Message> exchange(boost::asio::io_context& io, Stream& stream,
                                          protocol::FrameDecoder& decoder, std::uint16_t seq,
                                          const protocol::Message& request) {
    const auto frame = protocol::encode_frame(seq, request);
    REQUIRE(frame);
    boost::asio::write(stream, boost::asio::buffer(frame->bytes.data(), frame->size));
    const auto reply = await_frame(io, stream, decoder, [&](const protocol::DecodedFrame& decoded) {
        return decoded.header.seq == seq && is_reply_type(decoded.header.type);
    });
    if (!reply) return std::nullopt;
    return reply->message;
}

/// The next Status frame (at most 3 s).
template <typename Stream>
std::optional<protocol::Status> next_status(boost::asio::io_context& io, Stream& stream,
                                            protocol::FrameDecoder& decoder) {
    const auto frame = await_frame(io, stream, decoder, [](const protocol::DecodedFrame& decoded) {
        return decoded.header.type == protocol::MessageType::Status;
    });
    if (!frame) return std::nullopt;
    return std::get<protocol::Status>(frame->message);
}

/// A connection to penlink-sim's --control-port.
using ControlClient = tooltest::SimControl;

}  // namespace penlink::sim::test
