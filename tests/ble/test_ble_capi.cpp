// The C ABI's discovery and a BLE session through penlink.h only.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fake_bluez_harness.hpp"
#include "penlink/penlink.h"

namespace penlink::test {

TEST_CASE("pl_discover finds the BLE pen and reports progress", "[ble][capi]") {
    FakeBluez fake;
    pl_discovery_options options = PL_DISCOVERY_OPTIONS_INIT;
    options.serial = 0;
    std::vector<std::string> progress;
    options.on_found = [](const pl_discovered_pen* pen, void* payload) {
        static_cast<std::vector<std::string>*>(payload)->push_back(pen->url);
    };
    options.payload = &progress;
    pl_discovery_list* list = nullptr;
    REQUIRE(pl_discover(&list, 800, &options) == 0);
    REQUIRE(pl_discovery_list_count(list) == 1);
    const pl_discovered_pen* pen = pl_discovery_list_get(list, 0);
    REQUIRE(pen != nullptr);
    CHECK(pen->version == PL_DISCOVERED_PEN_VERSION);
    CHECK(std::string(pen->url) == FakeBluez::url());
    CHECK(std::string(pen->name) == kFakePenName);
    CHECK(pen->transport == PL_TRANSPORT_BLE);
    CHECK(pen->has_rssi == 1);
    CHECK(pen->rssi_dbm == -58);
    CHECK(std::string(pen->serial_number).empty());
    CHECK(pl_discovery_list_get(list, 1) == nullptr);
    CHECK(progress == std::vector<std::string>{FakeBluez::url()});

    pl_pen* connected = nullptr;
    REQUIRE(pl_pen_connect(&connected, pen->url, nullptr) == 0);
    pl_pen_free(connected);
    pl_discovery_list_free(list);
}

TEST_CASE("pl_discover refuses bad arguments with a message", "[ble][capi]") {
    pl_discovery_list* list = nullptr;
    CHECK(pl_discover(nullptr, 100, nullptr) == PL_EINVAL);
    CHECK(pl_discover(&list, -5, nullptr) == PL_EINVAL);
    CHECK_THAT(std::string(pl_error_last()), Catch::Contains("-5 ms"));
    pl_discovery_options options;
    CHECK(pl_discovery_options_init(&options, 99) == PL_EINVAL);
    REQUIRE(pl_discovery_options_init(&options, PL_DISCOVERY_OPTIONS_VERSION) == 0);
    CHECK(options.serial == 1);
    CHECK(options.ble == 1);
    CHECK(pl_usb_pen_register(0, 5, "x") == PL_EINVAL);
    CHECK_THAT(std::string(pl_error_last()), Catch::Contains("0:5"));
    CHECK(pl_usb_pen_register(0x1209, 0x7E1B, "second pen") == 0);
    CHECK(pl_discovery_list_count(nullptr) == 0);
    pl_discovery_list_free(nullptr);
}

TEST_CASE("pl_subscription_status_rate says what a BLE link grants and why", "[ble][capi]") {
    FakeBluez fake({"--known", "--mtu", "23"});
    pl_connect_options options = PL_CONNECT_OPTIONS_INIT;
    options.connect_timeout_ms = 5000;
    pl_pen* pen = nullptr;
    REQUIRE(pl_pen_connect(&pen, FakeBluez::url().c_str(), &options) == 0);
    pl_subscription* status = nullptr;
    REQUIRE(pl_pen_subscribe_status(
                &status, pen, 50, [](const pl_status*, void*) { return 0; }, nullptr) == 0);
    pl_status_rate rate;
    REQUIRE(pl_status_rate_init(&rate, PL_STATUS_RATE_VERSION) == 0);
    CHECK(rate.granted_hz == 0);
    REQUIRE(pl_subscription_status_rate(&rate, status) == 0);
    CHECK(rate.requested_hz == 50);
    CHECK(rate.granted_hz == 18);  // 1333 bytes/s x 92% / 67 bytes
    CHECK(rate.limited_by == PL_STATUS_RATE_LIMIT_LINK);
    CHECK_THAT(std::string(rate.reason), Catch::Contains("92%"));

    // An event subscription asks no rate; a bad version or handle is refused by name.
    pl_subscription* events = nullptr;
    REQUIRE(pl_pen_subscribe_events(
                &events, pen, [](const pl_event*, void*) { return 0; }, nullptr) == 0);
    REQUIRE(pl_subscription_status_rate(&rate, events) == 0);
    CHECK(rate.requested_hz == 0);
    CHECK(rate.limited_by == PL_STATUS_RATE_LIMIT_NONE);
    CHECK(std::string(rate.reason).empty());
    pl_status_rate unknown = PL_STATUS_RATE_INIT;
    unknown.version = 99;
    CHECK(pl_subscription_status_rate(&unknown, status) == PL_EINVAL);
    CHECK_THAT(std::string(pl_error_last()), Catch::Contains("pl_status_rate"));
    CHECK(pl_subscription_status_rate(&rate, nullptr) == PL_EINVAL);
    CHECK(pl_subscription_status_rate(nullptr, status) == PL_EINVAL);
    pl_subscription_free(events);
    pl_subscription_free(status);
    pl_pen_free(pen);
}

}  // namespace penlink::test
