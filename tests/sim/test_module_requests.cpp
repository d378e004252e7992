// The module requests against a pen fitted from a descriptor written at test time: discovery,
// the descriptor in chunks, set and get, every refusal with its Nack fields, and atomicity.
#include <catch2/catch.hpp>

#include <string>

#include "model_helpers.hpp"
#include "module_fixtures.hpp"
#include "protocol/crc.hpp"

using namespace penlink;
using namespace penlink::sim;
using namespace penlink::sim::test;
using protocol::Field;
using protocol::LimitKind;
using protocol::MessageType;
using protocol::NackReason;

namespace {

std::string read_whole_descriptor(PenModel& model, std::uint8_t slot, std::uint8_t chunk) {
    std::string bytes;
    for (std::size_t guard = 0; guard < protocol::kMaxDescriptorSize; ++guard) {
        const auto reply = model.handle(
            protocol::ReadDescriptor{slot, static_cast<std::uint16_t>(bytes.size()), chunk});
        REQUIRE(std::holds_alternative<protocol::DescriptorChunk>(reply));
        const auto& piece = std::get<protocol::DescriptorChunk>(reply);
        REQUIRE(piece.offset == bytes.size());
        REQUIRE(piece.length <= chunk);
        bytes.append(piece.bytes.begin(), piece.bytes.begin() + piece.length);
        if (bytes.size() >= piece.total_size) break;
    }
    return bytes;
}

std::uint32_t crc_of(const std::string& text) {
    return protocol::crc32({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

protocol::Params params_of(const protocol::Message& reply) {
    REQUIRE(std::holds_alternative<protocol::Params>(reply));
    return std::get<protocol::Params>(reply);
}

}  // namespace

TEST_CASE("GetModules lists the fitted modules in load order", "[sim][modules]") {
    SimConfig config = suction_config();
    config.modules.push_back(load_module_text(suction_descriptor(R"({"telemetry": {}})"),
                                              "second.json"));  // another copy, slot 2
    SessionModel model(config);
    const auto reply = model.handle(protocol::GetModules{});
    REQUIRE(std::holds_alternative<protocol::Modules>(reply));
    const auto& modules = std::get<protocol::Modules>(reply);
    REQUIRE(modules.count == 2);
    const protocol::ModuleEntry& first = modules.modules[0];
    CHECK(first.slot == 1);
    CHECK(first.vendor_id == 4660);
    CHECK(first.model_id == 7);
    CHECK(first.fw_major == 1);
    CHECK(first.fw_minor == 0);
    CHECK(first.fw_patch == 0);
    CHECK(first.descriptor_size == suction_descriptor().size());
    CHECK(first.descriptor_crc == crc_of(suction_descriptor()));
    CHECK(modules.modules[1].slot == 2);
    CHECK(modules.modules[1].descriptor_crc != first.descriptor_crc);
}

TEST_CASE("a pen without modules reports none and refuses their requests", "[sim][modules]") {
    SessionModel model(default_sim_config());
    CHECK(std::get<protocol::Modules>(model.handle(protocol::GetModules{})).count == 0);
    const auto refusal = nack_of(model.handle(protocol::ReadDescriptor{1, 0, 16}));
    CHECK(refusal.reason == NackReason::NotSupported);
    CHECK(refusal.slot == 1);
    CHECK(nack_of(model.handle(set_params(1, {{kPumpOn, 1}}))).reason == NackReason::NotSupported);
    CHECK(nack_of(model.handle(protocol::GetParams{1, 0, {}})).reason == NackReason::NotSupported);
}

TEST_CASE("a descriptor read in chunks reassembles to the file and matches its CRC",
          "[sim][modules]") {
    SessionModel model(suction_config());
    const auto entry = std::get<protocol::Modules>(model.handle(protocol::GetModules{})).modules[0];
    for (std::uint8_t chunk : {std::uint8_t{1}, std::uint8_t{37}, std::uint8_t{192}}) {
        const std::string bytes = read_whole_descriptor(model, 1, chunk);
        CHECK(bytes == suction_descriptor());
        CHECK(crc_of(bytes) == entry.descriptor_crc);
    }
    // The last chunk is short: only the bytes that are left.
    const auto size = static_cast<std::uint16_t>(suction_descriptor().size());
    const auto tail =
        model.handle(protocol::ReadDescriptor{1, static_cast<std::uint16_t>(size - 5), 192});
    CHECK(std::get<protocol::DescriptorChunk>(tail).length == 5);
    CHECK(std::get<protocol::DescriptorChunk>(tail).total_size == size);
}

TEST_CASE("ReadDescriptor past the end is OutOfRange with the size", "[sim][modules]") {
    SessionModel model(suction_config());
    const auto size = static_cast<std::int32_t>(suction_descriptor().size());
    const auto refusal =
        nack_of(model.handle(protocol::ReadDescriptor{1, static_cast<std::uint16_t>(size), 10}));
    CHECK(refusal.request == MessageType::ReadDescriptor);
    CHECK(refusal.reason == NackReason::OutOfRange);
    CHECK(refusal.value == size);
    CHECK(refusal.limit == size);
    CHECK(refusal.limit_kind == LimitKind::Maximum);
}

TEST_CASE("module_store=0: descriptor_size 0 and no descriptor to read", "[sim][modules]") {
    SimConfig config = suction_config();
    apply_sim_options(config, {{"module_store", "0"}});
    SessionModel model(config);
    const auto entry = std::get<protocol::Modules>(model.handle(protocol::GetModules{})).modules[0];
    CHECK(entry.descriptor_size == 0);
    CHECK(entry.descriptor_crc == crc_of(suction_descriptor()));  // still names it
    CHECK(nack_of(model.handle(protocol::ReadDescriptor{1, 0, 16})).reason ==
          NackReason::NotSupported);
}

TEST_CASE("parameters start at their defaults and SetParams applies them", "[sim][modules]") {
    SessionModel model(suction_config());
    auto all = params_of(model.handle(protocol::GetParams{1, 0, {}}));
    REQUIRE(all.count == 5);
    CHECK(all.params[0] == protocol::ParamValue{kPumpOn, 0});
    CHECK(all.params[1] == protocol::ParamValue{kVacuum, 200});
    CHECK(all.params[2] == protocol::ParamValue{kHeater, 0});
    CHECK(all.params[3] == protocol::ParamValue{kCycles, 0});

    REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 1}, {kVacuum, 455}, {kHeater, 75}}))));
    protocol::GetParams some{1, 2, {}};
    some.ids[0] = kHeater;
    some.ids[1] = kVacuum;
    const auto got = params_of(model.handle(some));
    REQUIRE(got.count == 2);
    CHECK(got.slot == 1);
    CHECK(got.params[0] == protocol::ParamValue{kHeater, 75});
    CHECK(got.params[1] == protocol::ParamValue{kVacuum, 455});
}

TEST_CASE("GetParams of an unknown id names it", "[sim][modules]") {
    SessionModel model(suction_config());
    protocol::GetParams request{1, 2, {}};
    request.ids[0] = kPumpOn;
    request.ids[1] = 0x8099;
    const auto refusal = nack_of(model.handle(request));
    CHECK(refusal.request == MessageType::GetParams);
    CHECK(refusal.reason == NackReason::NotSupported);
    CHECK(refusal.field == Field::Parameter);
    CHECK(refusal.slot == 1);
    CHECK(refusal.param_id == 0x8099);
}

TEST_CASE("every SetParams refusal names the parameter, its value and the limit",
          "[sim][modules]") {
    SessionModel model(suction_config());
    const auto refused = [&](const protocol::SetParams& request) {
        const auto nack = nack_of(model.handle(request));
        CHECK(nack.request == MessageType::SetParams);
        return nack;
    };

    SECTION("unknown slot") {
        const auto nack = refused(set_params(3, {{kPumpOn, 1}}));
        CHECK(nack.reason == NackReason::NotSupported);
        CHECK(nack.field == Field::None);
        CHECK(nack.slot == 3);
    }
    SECTION("unknown id") {
        const auto nack = refused(set_params(1, {{0x8042, 7}}));
        CHECK(nack.reason == NackReason::NotSupported);
        CHECK(nack.field == Field::Parameter);
        CHECK(nack.slot == 1);
        CHECK(nack.param_id == 0x8042);
        CHECK(nack.value == 7);
    }
    SECTION("read only") {
        const auto nack = refused(set_params(1, {{kCycles, 5}}));
        CHECK(nack.reason == NackReason::NotSupported);
        CHECK(nack.param_id == kCycles);
    }
    SECTION("the same id twice") {
        const auto nack = refused(set_params(1, {{kVacuum, 300}, {kVacuum, 310}}));
        CHECK(nack.reason == NackReason::Malformed);
        CHECK(nack.param_id == kVacuum);
        CHECK(nack.value == 310);
    }
    SECTION("above the maximum") {
        const auto nack = refused(set_params(1, {{kVacuum, 805}}));
        CHECK(nack.reason == NackReason::OutOfRange);
        CHECK(nack.field == Field::Parameter);
        CHECK(nack.param_id == kVacuum);
        CHECK(nack.value == 805);
        CHECK(nack.limit == 800);
        CHECK(nack.limit_kind == LimitKind::Maximum);
    }
    SECTION("below the minimum") {
        const auto nack = refused(set_params(1, {{kVacuum, -5}}));
        CHECK(nack.limit == 0);
        CHECK(nack.limit_kind == LimitKind::Minimum);
    }
    SECTION("off the grid") {
        const auto nack = refused(set_params(1, {{kVacuum, 453}}));
        CHECK(nack.reason == NackReason::OutOfRange);
        CHECK(nack.limit == 5);
        CHECK(nack.limit_kind == LimitKind::Step);
    }
    SECTION("a bool that is neither 0 nor 1") {
        const auto nack = refused(set_params(1, {{kPumpOn, 2}}));
        CHECK(nack.reason == NackReason::OutOfRange);
        CHECK(nack.limit == 1);
        CHECK(nack.limit_kind == LimitKind::Maximum);
    }
    SECTION("an energy parameter while a fault is latched") {
        REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 1}}))));
        model.raise_fault(protocol::kFaultInjected);
        const auto nack = refused(set_params(1, {{kHeater, 50}}));
        CHECK(nack.reason == NackReason::FaultActive);
        CHECK(nack.field == Field::Parameter);
        CHECK(nack.param_id == kHeater);
        CHECK(nack.value == 50);
        CHECK(nack.limit == (1 << protocol::kFaultInjected));
        CHECK(nack.limit_kind == LimitKind::FaultBits);
        // A parameter that delivers no energy is still settable.
        CHECK(is_ack(model.handle(set_params(1, {{kVacuum, 100}}))));
    }
    SECTION("an energy parameter while e-stopped") {
        REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 1}}))));
        REQUIRE(is_ack(model.handle(protocol::EmergencyStop{})));
        const auto nack = refused(set_params(1, {{kHeater, 50}}));
        CHECK(nack.reason == NackReason::EmergencyStopped);
        CHECK(nack.field == Field::Parameter);
        CHECK(nack.param_id == kHeater);
        CHECK(nack.value == 50);
        CHECK(is_ack(model.handle(set_params(1, {{kVacuum, 100}}))));
    }
    SECTION("an interlock that does not hold") {
        const auto nack = refused(set_params(1, {{kHeater, 50}}));  // pump off
        CHECK(nack.reason == NackReason::InterlockActive);
        CHECK(nack.field == Field::Parameter);
        CHECK(nack.param_id == kHeater);
        CHECK(nack.value == 50);
        CHECK(nack.limit == 0);  // interlock 0: "pump"
        CHECK(nack.limit_kind == LimitKind::Interlock);
        const auto needle = refused(set_params(1, {{kBoost, 1}}));
        CHECK(needle.reason == NackReason::InterlockActive);
        CHECK(needle.limit == 1);  // interlock 1: "needle"
    }
}

TEST_CASE("SetParams is all or nothing", "[sim][modules]") {
    SessionModel model(suction_config());
    // The first entry is fine, the second is out of range: neither is applied.
    const auto nack = nack_of(model.handle(set_params(1, {{kVacuum, 300}, {kHeater, 999}})));
    CHECK(nack.param_id == kHeater);
    CHECK(model.modules().raw(1, "vacuum_kpa") == 200);
    // The first failing entry is named, even when a later one fails too.
    const auto first = nack_of(model.handle(set_params(1, {{kVacuum, 1}, {0x8042, 0}})));
    CHECK(first.param_id == kVacuum);
    CHECK(first.limit_kind == LimitKind::Step);
    // A param:KEY interlock judges the values the whole request leaves.
    REQUIRE(is_ack(model.handle(set_params(1, {{kHeater, 40}, {kPumpOn, 1}}))));
    CHECK(model.modules().raw(1, "heater_w") == 40);
}

TEST_CASE("turning module energy off is a safing request", "[sim][modules][safety]") {
    SessionModel model(suction_config());
    REQUIRE(is_ack(model.handle(set_params(1, {{kPumpOn, 1}, {kHeater, 40}}))));
    const auto off = set_params(1, {{kHeater, 0}});
    CHECK(model.makes_safer(off));
    CHECK_FALSE(model.makes_safer(set_params(1, {{kHeater, 0}, {kVacuum, 300}})));
    CHECK_FALSE(model.makes_safer(set_params(1, {{kPumpOn, 0}})));  // not an energy parameter
    CHECK_FALSE(model.makes_safer(set_params(2, {{kHeater, 0}})));

    REQUIRE(is_ack(model.handle(protocol::EmergencyStop{})));
    CHECK(is_ack(model.handle(off)));  // accepted while e-stopped
    REQUIRE(is_ack(model.handle(protocol::EndSession{})));
    CHECK(is_ack(model.handle(off)));  // and outside a session
    CHECK(nack_of(model.handle(set_params(1, {{kVacuum, 300}}))).reason == NackReason::NoSession);
}

TEST_CASE("module discovery and reads are allowed while e-stopped", "[sim][modules][safety]") {
    SessionModel model(suction_config());
    REQUIRE(is_ack(model.handle(protocol::EmergencyStop{})));
    CHECK(std::holds_alternative<protocol::Modules>(model.handle(protocol::GetModules{})));
    CHECK(std::holds_alternative<protocol::DescriptorChunk>(
        model.handle(protocol::ReadDescriptor{1, 0, 64})));
    CHECK(std::holds_alternative<protocol::Params>(model.handle(protocol::GetParams{1, 0, {}})));
}
