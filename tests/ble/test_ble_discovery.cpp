// penlink::discover() and `penctl scan` find the simulated pen over BLE, and only pens.
#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include "fake_bluez_harness.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {

using namespace std::chrono_literals;

TEST_CASE("ble discovery finds a pen advertising the penlink service", "[ble]") {
    FakeBluez fake;
    DiscoveryFilter filter;
    filter.serial = false;
    std::vector<std::string> progress;
    filter.on_found = [&](const DiscoveredPen& pen) { progress.push_back(pen.url); };
    const auto pens = discover(800ms, filter);
    REQUIRE(pens.size() == 1);
    const DiscoveredPen& pen = pens.front();
    CHECK(pen.url == FakeBluez::url());
    CHECK(pen.name == kFakePenName);
    CHECK(pen.transport == TransportKind::Ble);
    CHECK(pen.adapter == "hci0");
    CHECK(pen.has_rssi);
    CHECK(pen.rssi_dbm == -58);
    CHECK(progress == std::vector<std::string>{pen.url});

    // The URL it gives is ready to use.
    auto connected = Pen::connect(pen.url, stack_options());
    CHECK(connected->info().model == "PL-SIM-1");
}

TEST_CASE("ble discovery skips devices without the penlink service and filters by name", "[ble]") {
    SECTION("no penlink service") {
        FakeBluez fake({"--no-service"});
        DiscoveryFilter filter;
        filter.serial = false;
        CHECK(discover(500ms, filter).empty());
    }
    SECTION("name prefix") {
        FakeBluez fake;
        DiscoveryFilter filter;
        filter.serial = false;
        filter.name_prefix = "other";
        CHECK(discover(500ms, filter).empty());
        filter.name_prefix = "penlink";
        CHECK(discover(500ms, filter).size() == 1);
    }
}

TEST_CASE("ble discovery without an adapter still answers for serial", "[ble]") {
    FakeBluez fake({"--powered-off"});
    DiscoveryFilter filter;
    const auto started = std::chrono::steady_clock::now();
    const auto pens = discover(300ms, filter);  // a warning is logged; no exception
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    for (const auto& pen : pens) CHECK(pen.transport == TransportKind::Serial);
    CHECK_THROWS_AS(discover(-1ms, filter), InvalidArgumentError);
}

#ifdef PENCTL_EXE
TEST_CASE("penctl scan lists a simulated BLE pen", "[ble]") {
    FakeBluez fake;
    auto result = tooltest::run(PENCTL_EXE, {"scan", "--seconds", "0.5", "--ble-only"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("ble://C0:FF:EE:00:00:01") &&
                               Catch::Contains("penlink-sim") && Catch::Contains("RSSI -58 dBm"));
    CHECK_THAT(result.err, Catch::Contains("1 pen found"));
}
#endif

}  // namespace penlink::test

#ifdef PENCTL_EXE
namespace penlink::test {

TEST_CASE("penctl demo runs the scripted treatment over BLE", "[ble]") {
    FakeBluez fake;
    auto result =
        tooltest::run(PENCTL_EXE, {"demo", "--url", "ble://?name=penlink-sim", "--duration-s", "2"},
                      {}, std::chrono::seconds(60));
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("connecting to ble://?name=penlink-sim") &&
                               Catch::Contains("summary") && Catch::Contains("0 dropped"));
}

}  // namespace penlink::test
#endif
