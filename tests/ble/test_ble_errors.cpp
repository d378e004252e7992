// Every way opening a BLE pen can fail says what failed, in BlueZ's words where BlueZ refused,
// within the connect timeout.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

#include "fake_bluez_harness.hpp"
#include "stack_helpers.hpp"

namespace penlink::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The error connect() throws, checked to be of type E and to arrive within the timeout.
template <typename E>
std::string connect_error(const std::string& url, std::chrono::milliseconds timeout = 1500ms) {
    ConnectOptions options = stack_options();
    options.connect_timeout = timeout;
    const auto started = Clock::now();
    std::string message = message_of<E>([&] { Pen::connect(url, options); });
    CHECK(Clock::now() - started < timeout + 4000ms);
    return message;
}

}  // namespace

TEST_CASE("ble without an adapter says so", "[ble]") {
    FakeBluez fake({"--no-adapter"});
    CHECK_THAT(connect_error<ConnectionError>(FakeBluez::url()),
               Catch::Contains("no Bluetooth adapter"));
}

TEST_CASE("ble with the adapter powered off names it", "[ble]") {
    FakeBluez fake({"--powered-off"});
    CHECK_THAT(connect_error<ConnectionError>(FakeBluez::url()),
               Catch::Contains("hci0") && Catch::Contains("powered off"));
}

TEST_CASE("ble with an adapter that is not there lists those that are", "[ble]") {
    FakeBluez fake;
    CHECK_THAT(connect_error<ConnectionError>(FakeBluez::url("?adapter=hci3")),
               Catch::Contains("'hci3' not found") && Catch::Contains("hci0"));
}

TEST_CASE("ble device not found within the timeout", "[ble]") {
    FakeBluez fake({"--no-device"});
    CHECK_THAT(
        connect_error<ConnectionError>(FakeBluez::url(), 1000ms),
        Catch::Contains("no BLE device C0:FF:EE:00:00:01") && Catch::Contains("within 1000 ms"));
    CHECK_THAT(connect_error<ConnectionError>("ble://?name=other-pen", 500ms),
               Catch::Contains("named 'other-pen'"));
}

TEST_CASE("ble device without the penlink service is not a penlink pen", "[ble]") {
    FakeBluez fake({"--known", "--no-service"});
    CHECK_THAT(connect_error<NotSupportedError>(FakeBluez::url()),
               Catch::Contains("is not a penlink pen") &&
                   Catch::Contains("7e1a0001-5c2b-4f8e-9a61-70656e6c696b"));
}

TEST_CASE("ble pairing refused keeps BlueZ's error and text", "[ble]") {
    FakeBluez fake({"--known", "--connect-error", "org.bluez.Error.AuthenticationFailed",
                    "--connect-error-text", "Authentication Failed"});
    CHECK_THAT(connect_error<ConnectionError>(FakeBluez::url()),
               Catch::Contains("pairing or authorization refused") &&
                   Catch::Contains("org.bluez.Error.AuthenticationFailed: Authentication Failed"));
    // Once BlueZ lets it through, the same URL connects.
    fake.control("SetConnectError", {"string:", "string:"});
    auto pen = Pen::connect(FakeBluez::url(), stack_options());
    CHECK(pen->connection_state() == ConnectionState::Connected);
}

TEST_CASE("ble with a BlueZ that stops answering times out instead of hanging", "[ble]") {
    FakeBluez fake({"--known", "--hang-start-notify"});
    const auto started = Clock::now();
    CHECK_THAT(connect_error<TimeoutError>(FakeBluez::url(), 1000ms),
               Catch::Contains("subscribing to the notifications"));
    CHECK(Clock::now() - started < 6s);
}

TEST_CASE("ble without a system bus names the bus address", "[ble]") {
    setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/penlink-test-bus", 1);
    CHECK_THAT(connect_error<ConnectionError>(FakeBluez::url()),
               Catch::Contains("cannot reach the system D-Bus") &&
                   Catch::Contains("/nonexistent/penlink-test-bus"));
}

}  // namespace penlink::test
