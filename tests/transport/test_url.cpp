#include <catch2/catch.hpp>

#include "penlink/errors.hpp"
#include "transport/url.hpp"

using penlink::InvalidArgumentError;
using penlink::transport::parse_url;

namespace {

// The message parse_url throws for text (fails the test if it does not throw).
std::string error_of(const std::string& text) {
    try {
        parse_url(text);
    } catch (const InvalidArgumentError& error) {
        return error.what();
    }
    FAIL("parse_url accepted '" << text << "'");
    return {};
}

}  // namespace

TEST_CASE("serial URLs give the device path and options", "[url]") {
    auto url = parse_url("serial:///dev/ttyUSB0?baud=115200");
    CHECK(url.scheme == "serial");
    CHECK(url.path == "/dev/ttyUSB0");
    CHECK(url.get("baud") == "115200");
    CHECK(url.get("parity", "none") == "none");

    auto short_form = parse_url("serial:/dev/ttyACM1");
    CHECK(short_form.path == "/dev/ttyACM1");
    CHECK(short_form.query.empty());

    CHECK(parse_url("SERIAL:///dev/ttyS0").scheme == "serial");
    CHECK(parse_url("serial:///dev/serial/by-id/usb-Pen%20Co_X1-if00").path ==
          "/dev/serial/by-id/usb-Pen Co_X1-if00");
}

TEST_CASE("tcp URLs give host and port", "[url]") {
    auto url = parse_url("tcp://127.0.0.1:7878");
    CHECK(url.scheme == "tcp");
    CHECK(url.host == "127.0.0.1");
    CHECK(url.port == 7878);

    CHECK(parse_url("tcp://pen.local:1/").host == "pen.local");
    CHECK(parse_url("tcp://pen.local:65535").port == 65535);
    auto ipv6 = parse_url("tcp://[::1]:9000");
    CHECK(ipv6.host == "::1");
    CHECK(ipv6.port == 9000);
}

TEST_CASE("sim URLs carry decoded options", "[url]") {
    CHECK(parse_url("sim://").scheme == "sim");
    CHECK(parse_url("sim:").query.empty());
    auto url = parse_url("sim://?rf=0&led=1&model=Pen%20X%2B&serial=a%3Db&");
    CHECK(url.query.size() == 4);
    CHECK(url.get("rf") == "0");
    CHECK(url.get("led") == "1");
    CHECK(url.get("model") == "Pen X+");
    CHECK(url.get("serial") == "a=b");
    CHECK(parse_url("sim://?note=a+b").get("note") == "a+b");
}

TEST_CASE("bad URLs name the URL, the problem and the expected form", "[url]") {
    auto message = error_of("foo://x");
    CHECK_THAT(message, Catch::Contains("'foo://x'") && Catch::Contains("unknown scheme 'foo'") &&
                            Catch::Contains("serial, tcp, sim, ble or replay"));

    CHECK_THAT(error_of(""), Catch::Contains("empty"));
    CHECK_THAT(error_of("/dev/ttyUSB0"), Catch::Contains("missing scheme"));

    CHECK_THAT(error_of("serial://dev/ttyUSB0"),
               Catch::Contains("three slashes") && Catch::Contains("serial:///dev/ttyUSB0"));
    CHECK_THAT(error_of("serial:"), Catch::Contains("missing device path"));
    CHECK_THAT(error_of("serial:///"), Catch::Contains("missing device path"));

    CHECK_THAT(error_of("tcp://127.0.0.1"),
               Catch::Contains("missing port") && Catch::Contains("tcp://<host>:<port>"));
    CHECK_THAT(error_of("tcp://:7878"), Catch::Contains("missing host"));
    CHECK_THAT(error_of("tcp://127.0.0.1:0"), Catch::Contains("port 0 is outside 1-65535"));
    CHECK_THAT(error_of("tcp://127.0.0.1:65536"), Catch::Contains("port 65536 is outside 1-65535"));
    CHECK_THAT(error_of("tcp://127.0.0.1:http"), Catch::Contains("port 'http' is not a number"));
    CHECK_THAT(error_of("tcp://127.0.0.1:78/x"), Catch::Contains("no path"));
    CHECK_THAT(error_of("tcp://::1:78"), Catch::Contains("brackets"));
    CHECK_THAT(error_of("tcp:127.0.0.1:78"), Catch::Contains("'//'"));

    CHECK_THAT(error_of("sim://pen"), Catch::Contains("unexpected 'pen'"));
    CHECK_THAT(error_of("sim://?rf"),
               Catch::Contains("'rf' has no value") && Catch::Contains("key=value"));
    CHECK_THAT(error_of("sim://?rf=1&rf=0"), Catch::Contains("'rf' is given twice"));
    CHECK_THAT(error_of("sim://?model=a%2"), Catch::Contains("bad percent escape '%2'"));
    CHECK_THAT(error_of("sim://?model=a%zz"), Catch::Contains("bad percent escape '%zz'"));
}

TEST_CASE("ble URLs give an address or a name", "[url][ble]") {
    auto by_address = parse_url("ble://aa:bb:cc:dd:ee:0f");
    CHECK(by_address.scheme == "ble");
    CHECK(by_address.address == "AA:BB:CC:DD:EE:0F");
    CHECK(parse_url("BLE://AA:BB:CC:DD:EE:FF/?adapter=hci1").get("adapter") == "hci1");

    auto by_name = parse_url("ble://?name=Pen%20A&adapter=hci0");
    CHECK(by_name.address.empty());
    CHECK(by_name.get("name") == "Pen A");

    CHECK_THAT(error_of("ble://AA:BB:CC"),
               Catch::Contains("'AA:BB:CC' is not a Bluetooth address"));
    CHECK_THAT(error_of("ble://GG:BB:CC:DD:EE:FF"), Catch::Contains("GG:BB:CC:DD:EE:FF"));
    CHECK_THAT(error_of("ble://"), Catch::Contains("neither an address nor a name"));
    CHECK_THAT(error_of("ble://?name="), Catch::Contains("the name is empty"));
    CHECK_THAT(error_of("ble://AA:BB:CC:DD:EE:FF?name=x"), Catch::Contains("not both"));
    CHECK_THAT(error_of("ble:AA:BB:CC:DD:EE:FF"), Catch::Contains("missing '//'"));
}

TEST_CASE("replay URLs name a recording file and take a speed", "[url][replay]") {
    const auto absolute = parse_url("replay:///tmp/a%20session.plrec?speed=4");
    CHECK(absolute.scheme == "replay");
    CHECK(absolute.path == "/tmp/a session.plrec");
    CHECK(absolute.get("speed") == "4");
    CHECK(parse_url("replay://recordings/s.plrec").path == "recordings/s.plrec");
    CHECK(parse_url("REPLAY:s.plrec").path == "s.plrec");
    CHECK_THROWS_WITH(parse_url("replay://"), Catch::Contains("missing the recording file") &&
                                                  Catch::Contains("replay:///path/to/recording"));
}
