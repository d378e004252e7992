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

}  // namespace penlink::test
