// `penctl demo`: penlink-sim as a child on a pseudo-terminal, the real serial transport, the
// scripted treatment and its summary.
#include <catch2/catch.hpp>

#include <sys/types.h>

#include <cerrno>
#include <csignal>

#include "penctl_runner.hpp"

using namespace penlink::tooltest;
using Catch::Matchers::Contains;

namespace {

bool process_gone(pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace

TEST_CASE("demo runs the scripted treatment over a pseudo-terminal and summarises it",
          "[penctl][demo]") {
    const auto result = penctl({"demo", "--duration-s", "2"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("connecting to serial:///dev/pts/"));
    CHECK_THAT(result.out, Contains("model            PL-SIM-1"));
    CHECK_THAT(result.out, Contains("refused: depth 3.50 mm exceeds the pen's maximum of 3.00 mm"));
    CHECK_THAT(result.out, Contains("pen state: e-stopped"));
    CHECK_THAT(result.out, Contains("pen state: idle"));

    const auto strokes = number_after(result.out, "strokes delivered:");
    REQUIRE(strokes);
    CHECK(*strokes > 0);
    const auto received = number_after(result.out, "status frames:");
    REQUIRE(received);
    CHECK(*received > 20);
    const auto dropped = number_after(result.out, "received, ");
    REQUIRE(dropped);
    CHECK(*dropped <= 2);
    const auto energy = number_after(result.out, "RF energy:");
    REQUIRE(energy);
    CHECK(*energy > 0);
    const auto dose = number_after(result.out, "LED dose:");
    REQUIRE(dose);
    CHECK(*dose > 0);
}

TEST_CASE("demo stops on Ctrl-C, summarises and leaves no simulator behind", "[penctl][demo]") {
    ChildProcess demo(PENCTL_PATH, {"demo", "--duration-s", "20"});
    REQUIRE(demo.wait_for_output("> start the needle", std::chrono::seconds(15)));
    const auto sim_pid = number_after(demo.out(), "penlink-sim running (pid");
    REQUIRE(sim_pid);
    demo.send_signal(SIGINT);
    const auto result = demo.finish(std::chrono::seconds(15));
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 130);
    CHECK_THAT(result.out, Contains("interrupted") && Contains("summary"));
    CHECK(process_gone(static_cast<pid_t>(*sim_pid)));
}

TEST_CASE("demo without a simulator fails with a reason", "[penctl][demo]") {
    const auto result =
        penctl({"demo", "--duration-s", "2"}, {{"PENLINK_SIM", "/nonexistent/penlink-sim"}});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("PENLINK_SIM=/nonexistent/penlink-sim"));
    CHECK(is_one_line_reason(result.err));
}
