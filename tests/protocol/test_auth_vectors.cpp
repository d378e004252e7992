// docs/protocol.md section 16.9 (authentication test vectors) is read here and checked both
// ways: every derived value is computed from the documented inputs and compared, and every
// documented frame is built by the codec (byte for byte) and decoded and verified with the
// documented session keys. `test_protocol "[.generate-auth]"` prints the section's body.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "doc_hex.hpp"
#include "frame_test_util.hpp"
#include "protocol/handshake.hpp"

using namespace penlink::protocol;
using namespace penlink::protocol::test;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> counting(std::uint8_t first) {
    std::array<std::uint8_t, N> bytes{};
    for (std::size_t i = 0; i < N; ++i) bytes[i] = static_cast<std::uint8_t>(first + i);
    return bytes;
}

// The inputs of section 16.9.
struct Inputs {
    crypto::Key key = counting<32>(0x00);
    crypto::Key new_key = counting<32>(0x40);
    Hello hello{2, 2, counting<16>(0xA0)};
    HelloReply reply = [] {
        HelloReply r;
        r.boot_id = 0x1BADB002;
        r.session_id = 0x5E551001;
        r.auth_mode = AuthMode::Required;
        r.pen_nonce = counting<16>(0xB0);
        r.serial = "SIM000001";
        return r;
    }();
    Inputs() {
        reply.key_id = key_id_of(key);
        reply.pen_proof = pen_proof(key, hello, reply);
    }
};

Bytes bytes_of(std::span<const std::uint8_t> span) { return {span.begin(), span.end()}; }
Bytes le32(std::uint32_t value) {
    return {static_cast<std::uint8_t>(value), static_cast<std::uint8_t>(value >> 8),
            static_cast<std::uint8_t>(value >> 16), static_cast<std::uint8_t>(value >> 24)};
}

// Named values, in the document's order.
std::vector<std::pair<std::string, Bytes>> values(const Inputs& in) {
    const SessionKeys keys = derive_session_keys(in.key, in.hello, in.reply);
    const Proof host = host_proof(in.key, in.hello, in.reply);
    return {
        {"key", bytes_of(in.key)},
        {"host_nonce", bytes_of(in.hello.host_nonce)},
        {"pen_nonce", bytes_of(in.reply.pen_nonce)},
        {"boot_id", le32(in.reply.boot_id)},
        {"session_id", le32(in.reply.session_id)},
        {"auth_mode", {static_cast<std::uint8_t>(in.reply.auth_mode)}},
        {"serial", Bytes(in.reply.serial.begin(), in.reply.serial.end())},
        {"key_id", bytes_of(in.reply.key_id)},
        {"pen_proof", bytes_of(in.reply.pen_proof)},
        {"host_proof", bytes_of(host)},
        {"k_hp", bytes_of(keys.host_to_pen)},
        {"k_ph", bytes_of(keys.pen_to_host)},
        {"k_wrap", bytes_of(keys.key_wrap)},
        {"new_key", bytes_of(in.new_key)},
        {"wrapped_new_key", bytes_of(crypto::wrap_key(keys.key_wrap, in.new_key))},
    };
}

enum class Seal { None, HostToPen, PenToHost };
struct FrameVector {
    std::string name;
    std::string description;
    std::uint16_t seq;
    Message message;
    Seal seal;
};

std::vector<FrameVector> frames(const Inputs& in) {
    const SessionKeys keys = derive_session_keys(in.key, in.hello, in.reply);
    Authenticate authenticate;
    authenticate.host_proof = host_proof(in.key, in.hello, in.reply);
    ChangeKey change;
    change.wrapped_key = crypto::wrap_key(keys.key_wrap, in.new_key);
    return {
        {"Hello with a nonce", "the host's challenge, seq 1 (a version-1 frame, plain)", 1,
         in.hello, Seal::None},
        {"HelloReply of a pen that requires authentication",
         "auth_mode Required, key_id, pen_nonce, pen_proof and serial as above, echoing seq 1 "
         "(plain)",
         1, in.reply, Seal::None},
        {"Authenticate", "host_proof as above, seq 2 (plain, version 2)", 2, authenticate,
         Seal::None},
        {"Ack of Authenticate", "the pen's first sealed frame: counter 1 under k_ph, seq 2", 2,
         Ack{MessageType::Authenticate}, Seal::PenToHost},
        {"SetDepth 1.25 mm, sealed", "the host's first sealed frame: counter 1 under k_hp, seq 3",
         3, SetDepth{1250}, Seal::HostToPen},
        {"ChangeKey", "new_key wrapped under k_wrap, counter 2 under k_hp, seq 4", 4, change,
         Seal::HostToPen},
    };
}

// Seals each direction's frames in order, as a sender would.
std::vector<Bytes> wires(const Inputs& in) {
    const SessionKeys keys = derive_session_keys(in.key, in.hello, in.reply);
    FrameSealer host(keys.host_to_pen), pen(keys.pen_to_host);
    std::vector<Bytes> out;
    for (const auto& frame : frames(in)) {
        FrameSealer* sealer = frame.seal == Seal::HostToPen   ? &host
                              : frame.seal == Seal::PenToHost ? &pen
                                                              : nullptr;
        const auto wire = encode_frame(frame.seq, frame.message, sealer);
        REQUIRE(wire);
        out.push_back(bytes_of(wire->view()));
    }
    return out;
}

struct Documented {
    std::map<std::string, Bytes> values;
    std::vector<std::pair<std::string, Bytes>> wires;  // frame name, wire bytes
};

// Reads "name: hex" lines and "#### frame" + "wire: hex" blocks of section 16.9.
Documented read_section() {
    std::ifstream file(std::string(PENLINK_SOURCE_DIR) + "/docs/protocol.md");
    REQUIRE(file.good());
    Documented doc;
    bool in_section = false;
    Bytes* continuing = nullptr;
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("### ", 0) == 0 || line.rfind("## ", 0) == 0) {
            in_section = line.find("Authentication test vectors") != std::string::npos;
            continuing = nullptr;
            continue;
        }
        if (!in_section) continue;
        if (line.rfind("#### ", 0) == 0) {
            doc.wires.push_back({line.substr(5), {}});
            continuing = nullptr;
        } else if (line.rfind("wire:", 0) == 0 && !doc.wires.empty()) {
            continuing = &doc.wires.back().second;
            *continuing = parse_hex(line.substr(5));
        } else if (line.rfind("decoded:", 0) == 0) {
            continuing = nullptr;  // derived from wire; checked by the codec round trip
        } else if (continuing != nullptr && line.rfind("  ", 0) == 0) {
            append(*continuing, parse_hex(line));
        } else if (const auto colon = line.find(':');
                   colon != std::string::npos && line.find(' ') > colon && !line.empty() &&
                   line[0] != '#' && line[0] != '`' && line[0] != '|') {
            continuing = &doc.values[line.substr(0, colon)];
            *continuing = parse_hex(line.substr(colon + 1));
        } else {
            continuing = nullptr;
        }
    }
    return doc;
}

}  // namespace

TEST_CASE("docs/protocol.md 15.9: the derived values match a computation from the inputs",
          "[doc][auth]") {
    const Inputs in;
    const Documented doc = read_section();
    const auto expected = values(in);
    REQUIRE(doc.values.size() == expected.size());
    for (const auto& [name, bytes] : expected) {
        INFO("value " << name);
        REQUIRE(doc.values.count(name) == 1);
        CHECK(hex_lines(doc.values.at(name), 0) == hex_lines(bytes, 0));
    }
}

TEST_CASE("docs/protocol.md 15.9: the frames match the codec and verify with the session keys",
          "[doc][auth]") {
    const Inputs in;
    const Documented doc = read_section();
    const auto expected = frames(in);
    const auto built = wires(in);
    REQUIRE(doc.wires.size() == expected.size());
    const SessionKeys keys = derive_session_keys(in.key, in.hello, in.reply);
    FrameOpener at_pen(keys.host_to_pen), at_host(keys.pen_to_host);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("frame " << expected[i].name);
        CHECK(doc.wires[i].first == expected[i].name);
        CHECK(hex_lines(doc.wires[i].second, 0) == hex_lines(built[i], 0));
        // decode: the documented bytes give back the message, verified with the right key
        FrameDecoder decoder;
        decoder.set_opener(expected[i].seal == Seal::HostToPen   ? &at_pen
                           : expected[i].seal == Seal::PenToHost ? &at_host
                                                                 : nullptr);
        Collected collected;
        feed(decoder, doc.wires[i].second, collected);
        CHECK(collected.errors.empty());
        REQUIRE(collected.frames.size() == 1);
        CHECK(collected.frames[0].message == expected[i].message);
        CHECK(collected.frames[0].header.seq == expected[i].seq);
        CHECK(collected.frames[0].sealed == (expected[i].seal != Seal::None));
    }
    // and the documented wrapped key unwraps to the documented new key
    const auto wrapped = doc.values.at("wrapped_new_key");
    REQUIRE(wrapped.size() == crypto::kWrappedKeySize);
    const auto unwrapped = crypto::unwrap_key(
        keys.key_wrap,
        std::span<const std::uint8_t, crypto::kWrappedKeySize>(wrapped.data(), wrapped.size()));
    REQUIRE(unwrapped);
    CHECK(bytes_of(*unwrapped) == doc.values.at("new_key"));
}

TEST_CASE("print the body of section 16.9", "[.generate-auth]") {
    const Inputs in;
    std::cout << "```text\n";
    for (const auto& [name, bytes] : values(in)) {
        const std::string label = name + ":";
        std::cout << label
                  << std::string(std::max<std::size_t>(17, label.size() + 1) - label.size(), ' ')
                  << hex_lines(bytes, 17) << "\n";
    }
    std::cout << "```\n\n";
    const auto list = frames(in);
    const auto built = wires(in);
    for (std::size_t i = 0; i < list.size(); ++i) {
        Bytes raw(built[i].size());
        const auto size = cobs_decode(std::span(built[i]).first(built[i].size() - 1), raw);
        raw.resize(size.value());
        std::cout << "#### " << list[i].name << "\n\n"
                  << list[i].description << ".\n\n```text\n"
                  << "decoded: " << hex_lines(raw, 9) << "\n"
                  << "wire:    " << hex_lines(built[i], 9) << "\n```\n\n";
    }
}
