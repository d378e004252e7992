// Plumbing of the authenticated-session tests: key files, a raw TCP client that speaks frames
// without the SDK (a second host, an attacker), and splitting a recorded byte stream into
// frames and tampering with them as a man in the middle would.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/cobs.hpp"
#include "protocol/crc.hpp"
#include "protocol/frame.hpp"

namespace penlink::test {

using Bytes = std::vector<std::uint8_t>;

inline const std::string kAuthSerial = "SIM-AUTH-1";
inline const std::string kPenKeyHex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
inline const std::string kOtherKeyHex =
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

/// A file in the temp directory with text and a mode, removed again by the destructor.
class TempFile {
public:
    TempFile(const std::string& text, std::filesystem::perms mode) {
        path_ = (std::filesystem::temp_directory_path() /
                 ("penlink-key-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++)))
                    .string();
        std::ofstream(path_) << text;
        std::filesystem::permissions(path_, mode);
    }
    ~TempFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
        std::filesystem::remove(path_ + ".new", ignored);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }
    std::string text() const {
        std::ifstream in(path_);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

private:
    static int& counter() {
        static int value = 0;
        return value;
    }
    std::string path_;
};

inline constexpr auto kOwnerOnly =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

inline std::uint16_t port_of(const std::string& tcp_url) {
    return static_cast<std::uint16_t>(std::stoi(tcp_url.substr(tcp_url.rfind(':') + 1)));
}

/// Whole frames (each with its 0x00 delimiter) of a recorded byte stream.
inline std::vector<Bytes> split_frames(const Bytes& stream) {
    std::vector<Bytes> frames;
    Bytes current;
    for (auto byte : stream) {
        current.push_back(byte);
        if (byte == 0x00) {
            if (current.size() > 1) frames.push_back(current);
            current.clear();
        }
    }
    return frames;
}

/// The decoded bytes (header .. CRC) of one wire frame.
inline Bytes decoded_of(const Bytes& wire) {
    Bytes raw(wire.size());
    const auto size = protocol::cobs_decode(std::span(wire).first(wire.size() - 1), raw);
    raw.resize(size.value());
    return raw;
}

/// A wire frame from decoded bytes whose CRC is recomputed over everything before it, so a
/// tampered frame passes the noise check and reaches the tag check, as a forger's would.
inline Bytes rewire(Bytes raw) {
    raw.resize(raw.size() - 2);
    const std::uint16_t crc = protocol::crc16(raw);
    raw.push_back(static_cast<std::uint8_t>(crc));
    raw.push_back(static_cast<std::uint8_t>(crc >> 8));
    Bytes wire(protocol::cobs_max_encoded_size(raw.size()) + 1);
    wire.resize(protocol::cobs_encode(raw, wire).value());
    wire.push_back(0x00);
    return wire;
}

/// True for a sealed frame (bit 7 of its version byte).
inline bool is_sealed(const Bytes& wire) { return (decoded_of(wire)[0] & 0x80) != 0; }

/// A TCP client speaking raw frames to penlink-sim: a second host, with no SDK and no key.
class RawClient {
public:
    explicit RawClient(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("raw client: cannot connect to port " + std::to_string(port));
    }
    ~RawClient() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void send(std::uint16_t seq, const protocol::Message& message) {
        const auto frame = protocol::encode_frame(seq, message);
        send_bytes({frame->view().begin(), frame->view().end()});
    }
    void send_bytes(const Bytes& bytes) {
        if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(bytes.size()))
            throw std::runtime_error("raw client: send failed");
    }
    /// The first decoded reply with this seq within timeout, or nullopt.
    std::optional<protocol::Message> reply(
        std::uint16_t seq, std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::optional<protocol::Message> found;
        while (!found && std::chrono::steady_clock::now() < deadline) {
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, 20) <= 0) continue;
            std::uint8_t buffer[1024];
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            decoder_.feed(
                std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)),
                [&](const protocol::DecodedFrame& frame) {
                    if (!found && frame.header.seq == seq) found = frame.message;
                },
                [](protocol::FrameError) {});
        }
        return found;
    }

private:
    int fd_ = -1;
    protocol::FrameDecoder decoder_;
};

}  // namespace penlink::test
