// A SimDevice on a test-owned io_context, with a real frame decoder on its output.
#pragma once

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/frame.hpp"
#include "sim/pen_model.hpp"
#include "sim/sim_device.hpp"

namespace penlink::sim::test {

struct DeviceHarness {
    explicit DeviceHarness(SimConfig config = default_sim_config())
        : device(io, std::move(config), [this](std::span<const std::uint8_t> bytes) {
              ++send_calls;
              decoder.feed(
                  bytes, [this](const protocol::DecodedFrame& frame) { frames.push_back(frame); },
                  [this](protocol::FrameError) { ++bad_frames; });
          }) {}

    /// Sends one request frame with the given seq.
    void send(std::uint16_t frame_seq, const protocol::Message& message) {
        auto frame = protocol::encode_frame(frame_seq, message);
        REQUIRE(frame);
        device.receive(frame->view());
    }

    /// Sends a request with the next seq and returns the reply echoing it (nullopt if none).
    std::optional<protocol::Message> request(const protocol::Message& message) {
        ++seq;
        send(seq, message);
        return reply_to(seq);
    }

    /// Opens a session (Hello with the next seq); returns its HelloReply.
    protocol::HelloReply open_session() {
        const auto reply = request(protocol::Hello{});
        REQUIRE(reply);
        REQUIRE(std::holds_alternative<protocol::HelloReply>(*reply));
        return std::get<protocol::HelloReply>(*reply);
    }

    std::optional<protocol::Message> reply_to(std::uint16_t reply_seq) const {
        for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
            const auto type = it->header.type;
            const bool is_reply =
                type == protocol::MessageType::Ack || type == protocol::MessageType::Nack ||
                type == protocol::MessageType::HelloReply || type == protocol::MessageType::Info ||
                type == protocol::MessageType::Settings || type == protocol::MessageType::Modules ||
                type == protocol::MessageType::DescriptorChunk ||
                type == protocol::MessageType::Params;
            if (is_reply && it->header.seq == reply_seq) return it->message;
        }
        return std::nullopt;
    }

    template <typename M>
    std::vector<M> received() const {
        std::vector<M> out;
        for (const auto& frame : frames) {
            if (const M* message = std::get_if<M>(&frame.message)) out.push_back(*message);
        }
        return out;
    }

    /// Runs the io_context for a while (real time; only used with loose expectations).
    void run_for(std::chrono::milliseconds duration) {
        io.restart();
        io.run_for(duration);
    }

    /// Runs until pred() holds or the deadline passes; returns pred().
    template <typename Pred>
    bool run_until(Pred pred, std::chrono::milliseconds deadline = std::chrono::seconds(3)) {
        const auto end = std::chrono::steady_clock::now() + deadline;
        while (!pred() && std::chrono::steady_clock::now() < end)
            run_for(std::chrono::milliseconds(10));
        return pred();
    }

    boost::asio::io_context io;
    protocol::FrameDecoder decoder;
    std::vector<protocol::DecodedFrame> frames;
    std::size_t bad_frames = 0;
    std::size_t send_calls = 0;
    std::uint16_t seq = 0;
    SimDevice device;  // last: destroyed first, while the decoder it feeds still exists
};

}  // namespace penlink::sim::test
