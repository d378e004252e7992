#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "frame_test_util.hpp"
#include "protocol/frame.hpp"
#include "protocol/messages.hpp"
#include "sample_messages.hpp"

using namespace penlink::protocol;
using penlink::protocol::test::doc_vectors;
using penlink::protocol::test::full_info;

using penlink::protocol::test::append;
using penlink::protocol::test::Bytes;

namespace {

Bytes payload_of(const Message& message) {
    std::array<std::uint8_t, kMaxPayloadSize> buffer{};
    const auto size = encode_payload(message, buffer);
    REQUIRE(size.has_value());
    return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*size)};
}

void check_round_trip(const Message& message) {
    const Bytes payload = payload_of(message);
    const auto decoded = decode_payload(type_of(message), payload);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == message);
}

// Offset of the first byte of a field, found by encoding the message with that field changed.
template <typename M, typename Mutate>
std::size_t offset_of_change(const M& base, Mutate mutate) {
    M changed = base;
    mutate(changed);
    const Bytes a = payload_of(base), b = payload_of(changed);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) return i;
    }
    FAIL("mutation did not change the payload");
    return 0;
}

std::optional<Message> decode_with_byte(const Message& message, std::size_t offset,
                                        std::uint8_t value) {
    Bytes payload = payload_of(message);
    REQUIRE(offset < payload.size());
    payload[offset] = value;
    return decode_payload(type_of(message), payload);
}
}  // namespace

TEST_CASE("every published vector's message round-trips through its payload", "[messages]") {
    for (const auto& vector : doc_vectors()) {
        INFO(vector.name);
        check_round_trip(vector.message);
    }
}

TEST_CASE("extreme field values round-trip", "[messages]") {
    check_round_trip(SetDepth{0xFFFF});
    check_round_trip(SetSpeed{0});
    check_round_trip(SetRf{false, RfPolarity::Monopolar, 0xFFFF, 0xFFFFFFFF, 0xFFFF});
    check_round_trip(SetLed{false, 0, 0, LedMode::Continuous, 0xFFFFFFFF, 1000});
    check_round_trip(Nack{MessageType::SetRf, NackReason::Busy, Field::RfPolarity,
                          std::numeric_limits<std::int32_t>::min(),
                          std::numeric_limits<std::int32_t>::max()});
    check_round_trip(Nack{MessageType::SetLed, NackReason::OutOfRange, Field::LedDuty, -1, 1000});
    Status cold;
    cold.temperature_cdeg = -4000;
    cold.state = PenState::EmergencyStopped;
    cold.fault_bits = 0xFFFFFFFF;
    cold.status_seq = 0xFFFFFFFF;
    check_round_trip(cold);
    check_round_trip(Event{EventKind::FaultRaised, 0xDEADBEEF, 0xFFFFFFFF});
}

TEST_CASE("Info carries only the fitted LED channels and 32-byte UTF-8 strings", "[messages]") {
    Info info = full_info();
    SECTION("no LED add-on: no channel entries on the wire") {
        info.led_channel_count = 0;
        info.led_channels = {};
        const Bytes payload = payload_of(info);
        CHECK(payload.size() == payload_of(full_info()).size() - 3 * 4);
        check_round_trip(info);
    }
    SECTION("four channels") {
        info.led_channel_count = 4;
        info.led_channels[3] = {940, 1200};
        check_round_trip(info);
    }
    SECTION("longest strings, multi-byte UTF-8") {
        info.model = std::string(30, 'M') + "\xC3\xA9";  // 32 bytes ending in e-acute
        info.serial = std::string(32, '7');
        check_round_trip(info);
    }
    SECTION("empty strings") {
        info.model.clear();
        info.serial.clear();
        check_round_trip(info);
    }
}

TEST_CASE("encoding refuses what the wire cannot carry", "[messages]") {
    Info info = full_info();
    std::array<std::uint8_t, kMaxPayloadSize> buffer{};
    SECTION("string longer than 32 bytes") {
        info.serial = std::string(33, 'x');
        CHECK_FALSE(encode_payload(info, buffer).has_value());
    }
    SECTION("more LED channels than the message holds") {
        info.led_channel_count = 5;
        CHECK_FALSE(encode_payload(info, buffer).has_value());
    }
    SECTION("output buffer too small") {
        std::array<std::uint8_t, 3> tiny{};
        CHECK_FALSE(encode_payload(Nack{}, tiny).has_value());
        CHECK(encode_payload(Heartbeat{}, tiny) == 0u);
    }
}

// Nack and Status payloads of v2 before modules end where the module fields begin: such a
// payload decodes, with the module fields at their defaults.
std::optional<std::size_t> pre_module_length(const Message& message) {
    if (std::holds_alternative<Nack>(message)) return 12;
    if (std::holds_alternative<Status>(message)) return 56;
    if (std::holds_alternative<Hello>(message)) return 2;       // before authentication
    if (std::holds_alternative<HelloReply>(message)) return 9;  // likewise
    return std::nullopt;
}

Message without_module_fields(Message message) {
    if (auto* nack = std::get_if<Nack>(&message)) {
        nack->slot = 0;
        nack->param_id = 0;
    }
    if (auto* status = std::get_if<Status>(&message)) {
        status->telemetry_count = 0;
        status->telemetry = {};
    }
    if (auto* hello = std::get_if<Hello>(&message)) hello->host_nonce = {};
    if (auto* reply = std::get_if<HelloReply>(&message)) {
        const HelloReply defaults;
        reply->auth_mode = defaults.auth_mode;
        reply->key_id = {};
        reply->pen_nonce = {};
        reply->pen_proof = {};
        reply->serial.clear();
    }
    return message;
}

TEST_CASE("decoders reject every short payload", "[messages]") {
    for (const auto& vector : doc_vectors()) {
        INFO(vector.name);
        const Bytes payload = payload_of(vector.message);
        for (std::size_t length = 0; length < payload.size(); ++length) {
            INFO("length " << length);
            const auto decoded =
                decode_payload(type_of(vector.message), std::span(payload).first(length));
            if (length == pre_module_length(vector.message)) {
                REQUIRE(decoded.has_value());
                CHECK(*decoded == without_module_fields(vector.message));
            } else {
                CHECK_FALSE(decoded.has_value());
            }
        }
    }
}

TEST_CASE("module messages refuse counts past their capacity and empty requests",
          "[messages][modules]") {
    std::array<std::uint8_t, kMaxPayloadSize> buffer{};
    SetParams set;
    set.slot = 1;
    CHECK_FALSE(encode_payload(set, buffer).has_value());  // count 0: nothing to set
    set.count = kMaxParamsPerMessage + 1;
    CHECK_FALSE(encode_payload(set, buffer).has_value());
    CHECK_FALSE(decode_payload(MessageType::SetParams, Bytes{1, 0}).has_value());
    CHECK_FALSE(decode_payload(MessageType::SetParams, Bytes{1, 17}).has_value());
    // ReadDescriptor of 0 bytes, or more than a chunk holds
    CHECK_FALSE(decode_payload(MessageType::ReadDescriptor, Bytes{1, 0, 0, 0}).has_value());
    CHECK_FALSE(decode_payload(MessageType::ReadDescriptor, Bytes{1, 0, 0, 193}).has_value());
    // a chunk that runs past the descriptor's end, or a descriptor over 16384 bytes
    CHECK_FALSE(decode_payload(MessageType::DescriptorChunk, Bytes{1, 10, 0, 11, 0, 2, 'a', 'b'})
                    .has_value());
    CHECK_FALSE(decode_payload(MessageType::DescriptorChunk, Bytes{1, 0, 0, 0x01, 0x40, 1, 'a'})
                    .has_value());
    CHECK(decode_payload(MessageType::DescriptorChunk, Bytes{1, 0, 0, 0x00, 0x40, 1, 'a'})
              .has_value());
    // a Modules reply with more entries than kMaxModules
    CHECK_FALSE(decode_payload(MessageType::Modules, Bytes{9}).has_value());
    Status status;
    status.telemetry_count = kMaxTelemetryValues + 1;
    CHECK_FALSE(encode_payload(status, buffer).has_value());
}

TEST_CASE("decoders ignore trailing bytes", "[messages]") {
    for (const auto& vector : doc_vectors()) {
        INFO(vector.name);
        Bytes payload = payload_of(vector.message);
        append(payload, {0xAA, 0x00, 0xFF});
        const auto decoded = decode_payload(type_of(vector.message), payload);
        REQUIRE(decoded.has_value());
        CHECK(*decoded == vector.message);
    }
}

TEST_CASE("decoders reject undefined enum and bool values", "[messages]") {
    const SetRf rf{true, RfPolarity::Bipolar, 1500, 8000, 100};
    CHECK_FALSE(decode_with_byte(rf, 0, 2).has_value());  // enabled must be 0 or 1
    CHECK_FALSE(
        decode_with_byte(
            rf, offset_of_change(rf, [](SetRf& m) { m.polarity = RfPolarity::Monopolar; }), 2)
            .has_value());

    const SetLed led{true, 633, 400, LedMode::Pulsed, 1000, 500};
    const auto mode_at = offset_of_change(led, [](SetLed& m) { m.mode = LedMode::Continuous; });
    CHECK(mode_at == 5);
    CHECK_FALSE(decode_with_byte(led, mode_at, 2).has_value());

    const Nack nack{MessageType::SetDepth, NackReason::OutOfRange, Field::Depth, 3500, 3000};
    CHECK_FALSE(decode_with_byte(nack, 0, 0x17).has_value());  // request: no such type
    CHECK_FALSE(decode_with_byte(nack, 0, 0x8A).has_value());
    CHECK_FALSE(decode_with_byte(nack, 1, 0).has_value());  // reason 0 is not defined
    CHECK_FALSE(decode_with_byte(nack, 1, 17).has_value());
    CHECK(decode_with_byte(nack, 1, 16).has_value());
    CHECK_FALSE(decode_with_byte(nack, 2, 15).has_value());  // field
    CHECK_FALSE(decode_with_byte(nack, 11, 8).has_value());  // limit_kind
    CHECK(decode_with_byte(nack, 11, 7).has_value());
    CHECK(decode_with_byte(nack, 2, 12).has_value());

    CHECK_FALSE(decode_with_byte(Ack{MessageType::Start}, 0, 0x00).has_value());

    Status status;
    const auto state_at = offset_of_change(status, [](Status& m) { m.state = PenState::Fault; });
    CHECK(state_at == 8);
    CHECK_FALSE(decode_with_byte(status, state_at, 5).has_value());
    CHECK(decode_with_byte(status, state_at, 4).has_value());

    const Event event{EventKind::ButtonPressed, 1, 2};
    CHECK_FALSE(decode_with_byte(event, 0, 0).has_value());
    CHECK_FALSE(decode_with_byte(event, 0, 12).has_value());
    CHECK(decode_with_byte(event, 0, 11).has_value());
}

TEST_CASE("Info decoding rejects bad strings and channel counts", "[messages]") {
    const Info info = full_info();
    const Bytes good = payload_of(info);
    SECTION("string length over 32") {
        Bytes bad = good;
        bad[0] = 33;
        CHECK_FALSE(decode_payload(MessageType::Info, bad).has_value());
    }
    SECTION("invalid UTF-8 in the model") {
        Bytes bad = good;
        bad[1] = 0xC0;  // overlong lead byte
        CHECK_FALSE(decode_payload(MessageType::Info, bad).has_value());
        bad[1] = 0xE2;  // truncated 3-byte sequence ("P" follows)
        CHECK_FALSE(decode_payload(MessageType::Info, bad).has_value());
    }
    SECTION("channel count over 4") {
        // led_channel_count sits just before the channel list and the two u32 pulse rates
        const std::size_t count_at = good.size() - 2 * 4 - info.led_channel_count * 4u - 1;
        REQUIRE(good[count_at] == 3);
        Bytes bad = good;
        bad[count_at] = 5;
        bad.resize(bad.size() + 64, 0x01);  // enough bytes, still refused
        CHECK_FALSE(decode_payload(MessageType::Info, bad).has_value());
    }
}

TEST_CASE("message types, names and direction", "[messages]") {
    CHECK(type_of(SetDepth{}) == MessageType::SetDepth);
    CHECK(type_of(Info{}) == MessageType::Info);
    CHECK(type_of(Event{}) == MessageType::Event);
    CHECK(std::strcmp(to_string(MessageType::ClearEmergencyStop), "ClearEmergencyStop") == 0);
    CHECK(std::strcmp(to_string(static_cast<MessageType>(0x7F)), "Unknown") == 0);
    CHECK(std::strcmp(to_string(NackReason::FaultActive), "FaultActive") == 0);
    CHECK(std::strcmp(to_string(static_cast<NackReason>(0)), "Unknown") == 0);
    CHECK(std::strcmp(to_string(Field::LedIrradiance), "LedIrradiance") == 0);
    CHECK(is_request(MessageType::Hello));
    CHECK(is_request(MessageType::ClearFaults));
    CHECK_FALSE(is_request(MessageType::Ack));
    CHECK_FALSE(is_request(MessageType::Status));
    CHECK_FALSE(is_request(static_cast<MessageType>(0x00)));
    CHECK(is_request(MessageType::EndSession));
    CHECK(is_request(MessageType::GetSettings));
    CHECK_FALSE(is_request(MessageType::Settings));
    CHECK(is_request(MessageType::SetParams));
    CHECK(is_request(MessageType::GetParams));
    CHECK_FALSE(is_request(MessageType::Params));
    CHECK(is_request(MessageType::Authenticate));
    CHECK(is_request(MessageType::ChangeKey));
    CHECK_FALSE(is_request(static_cast<MessageType>(0x17)));
    for (const auto& vector : doc_vectors()) {
        CHECK(is_request(type_of(vector.message)) ==
              (static_cast<std::uint8_t>(type_of(vector.message)) < 0x80));
    }
}

TEST_CASE("v2 sequence numbers compare in serial-number arithmetic", "[messages]") {
    CHECK(seq_newer(std::uint16_t{2}, std::uint16_t{1}));
    CHECK_FALSE(seq_newer(std::uint16_t{1}, std::uint16_t{2}));
    CHECK_FALSE(seq_newer(std::uint16_t{5}, std::uint16_t{5}));
    CHECK(seq_newer(std::uint16_t{0}, std::uint16_t{0xFFFF}));  // across the wrap
    CHECK(seq_newer(std::uint16_t{0x7FFF}, std::uint16_t{0}));
    CHECK_FALSE(seq_newer(std::uint16_t{0x8000}, std::uint16_t{0}));
    CHECK(seq_newer(std::uint32_t{0}, std::uint32_t{0xFFFFFFFF}));
    CHECK_FALSE(seq_newer(std::uint32_t{0xFFFFFFFF}, std::uint32_t{0}));
}

TEST_CASE("v2 supersession groups and safing requests", "[messages]") {
    CHECK(group_of(MessageType::SetDepth) == group_of(MessageType::SetDepthLimit));
    CHECK(group_of(MessageType::Start) == group_of(MessageType::Stop));
    CHECK(group_of(MessageType::EmergencyStop) == group_of(MessageType::ClearEmergencyStop));
    CHECK(group_of(MessageType::Heartbeat) == RequestGroup::None);
    CHECK(group_of(MessageType::EndSession) == RequestGroup::None);
    CHECK(group_of(MessageType::Hello) == RequestGroup::None);
    CHECK(is_safing_request(Stop{}));
    CHECK(is_safing_request(EmergencyStop{}));
    CHECK(is_safing_request(EndSession{}));
    CHECK(is_safing_request(SetRf{}));  // enabled = false
    CHECK(is_safing_request(SetLed{}));
    CHECK_FALSE(is_safing_request(SetRf{true, RfPolarity::Bipolar, 1500, 1000, 100}));
    CHECK_FALSE(is_safing_request(Start{}));
    CHECK_FALSE(is_safing_request(ClearEmergencyStop{}));
}

TEST_CASE("handshake messages travel in version-1 frames, everything else in v2", "[messages]") {
    CHECK(frame_version_for(Hello{}) == 1);
    CHECK(frame_version_for(HelloReply{}) == 1);
    CHECK(frame_version_for(Nack{MessageType::Hello, NackReason::VersionMismatch}) == 1);
    CHECK(frame_version_for(Nack{MessageType::SetDepth, NackReason::OutOfRange}) == 2);
    CHECK(frame_version_for(Status{}) == 2);
    CHECK(frame_version_for(SetDepth{}) == 2);
}

TEST_CASE("unknown types do not decode", "[messages]") {
    CHECK_FALSE(decode_payload(static_cast<MessageType>(0x42), {}).has_value());
}

TEST_CASE("Info payload size is B + 40 + 4N as the spec states", "[messages]") {
    Info smallest;
    CHECK(payload_of(smallest).size() == 42);
    Info largest = full_info();
    largest.model = std::string(kMaxStringLength, 'm');
    largest.serial = std::string(kMaxStringLength, 's');
    largest.led_channel_count = kMaxLedChannels;
    CHECK(payload_of(largest).size() == 122);
    CHECK(payload_of(full_info()).size() == 2 + 8 + 10 + 40 + 3 * 4);
    CHECK(payload_of(Status{}).size() == 57);  // 56 + telemetry count
    Status most_telemetry;
    most_telemetry.telemetry_count = kMaxTelemetryValues;
    CHECK(payload_of(most_telemetry).size() == 57 + 6 * kMaxTelemetryValues);
    SetParams most_params;
    most_params.count = kMaxParamsPerMessage;
    CHECK(payload_of(most_params).size() == 2 + 6 * kMaxParamsPerMessage);
    DescriptorChunk largest_chunk;
    largest_chunk.total_size = kMaxDescriptorChunk;
    largest_chunk.length = kMaxDescriptorChunk;
    CHECK(payload_of(largest_chunk).size() == 6 + kMaxDescriptorChunk);
    Modules most_modules;
    most_modules.count = kMaxModules;
    CHECK(payload_of(most_modules).size() == 1 + 14 * kMaxModules);
    CHECK(payload_of(Event{}).size() == 9);
    CHECK(payload_of(Nack{}).size() == 15);
    CHECK(payload_of(HelloReply{}).size() == 67);
    CHECK(payload_of(SetDepthLimit{}).size() == 2);
    CHECK(payload_of(Settings{}).size() == 4 + 1 + 2 + 2 + 2 + 1 + 10 + 12 + 2 + 4);
    CHECK(payload_of(SetRf{}).size() == 10);
    CHECK(payload_of(SetLed{}).size() == 12);
}
