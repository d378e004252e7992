// Values between units and raw wire integers, and the range/grid check shared by host and pen.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "modules/param_values.hpp"

using namespace penlink;
using namespace penlink::modules;
using penlink::protocol::LimitKind;

TEST_CASE("raw_of is exact or nothing", "[modules][values]") {
    CHECK(raw_of(12.5, 0.1) == 125);
    CHECK(raw_of(-0.3, 0.1) == -3);
    CHECK(raw_of(0.7, 0.1) == 7);  // 0.7 / 0.1 is 6.999999999999999 in doubles
    CHECK_FALSE(raw_of(12.55, 0.1).has_value());
    CHECK_FALSE(raw_of(std::nan(""), 1).has_value());
    CHECK_FALSE(raw_of(std::numeric_limits<double>::infinity(), 1).has_value());
    CHECK_FALSE(raw_of(3e9, 1).has_value());
    CHECK(value_of(125, 0.1) == Approx(12.5));
}

TEST_CASE("check_raw names the bound or the step it breaks", "[modules][values]") {
    ParamSpec p;
    p.type = ParamType::Fixed;
    p.scale = 0.1;
    p.min = 4.0;
    p.max = 20.0;
    p.step = 0.5;
    p.default_value = 15.0;
    CHECK_FALSE(check_raw(p, 40).has_value());
    CHECK_FALSE(check_raw(p, 125).has_value());
    CHECK_FALSE(check_raw(p, 200).has_value());
    const auto low = check_raw(p, 39);
    REQUIRE(low);
    CHECK(low->kind == LimitKind::Minimum);
    CHECK(low->limit == 40);
    CHECK(check_raw(p, 201)->kind == LimitKind::Maximum);
    const auto grid = check_raw(p, 123);
    REQUIRE(grid);
    CHECK(grid->kind == LimitKind::Step);
    CHECK(grid->limit == 5);
    CHECK(describe_raw(p, 125) == "12.5");
    p.unit = "degC";
    CHECK(describe_raw(p, 125) == "12.5 degC");
    ParamSpec e;
    e.type = ParamType::Enum;
    e.labels = {"quiet", "boost"};
    CHECK(describe_raw(e, 1) == "boost");
    CHECK(describe_raw(e, 7) == "#7");
}
