// The ledger shared by real processes: racing claims of one cartridge, a process that dies
// mid-run (interrupted at the next open), and one that is still alive (left running).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "child_process.hpp"
#include "log_fixtures.hpp"
#include "penlink/records.hpp"
#include "temp_dir.hpp"

using namespace penlink;
using penlink::test::run_start;
using penlink::test::TempDir;
using penlink::tooltest::ChildProcess;

namespace {
constexpr auto kChildLimit = std::chrono::seconds(30);
}

TEST_CASE("processes racing to claim one cartridge: exactly one wins", "[records][ledger]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    { TreatmentLog::open(path); }  // created once, so the race is over the claim alone
    const auto go = dir.file("go");
    const int racers = GENERATE(2, 4);
    std::vector<std::unique_ptr<ChildProcess>> children;
    for (int i = 0; i < racers; ++i) {
        children.push_back(std::make_unique<ChildProcess>(
            RECORDS_CLAIM_HELPER, std::vector<std::string>{path, "CART-RACE", "claim", go}));
    }
    for (auto& child : children) REQUIRE(child->wait_for_output("ready", kChildLimit));
    std::ofstream(go) << "go\n";
    int won = 0;
    int refused = 0;
    for (auto& child : children) {
        const auto finished = child->finish(kChildLimit);
        INFO(finished.out << finished.err);
        if (finished.exit_code == 0) ++won;
        if (finished.exit_code == 3) {
            ++refused;
            CHECK_THAT(finished.out, Catch::Contains("cartridge CART-RACE"));
        }
    }
    CHECK(won == 1);
    CHECK(refused == racers - 1);
    auto log = TreatmentLog::open(path);
    const auto uses = log.cartridge_uses("CART-RACE");
    REQUIRE(uses.size() == 1);
    CHECK(uses[0].outcome == RunOutcome::Completed);
}

TEST_CASE("a run whose process died shows as interrupted at the next open", "[records]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    ChildProcess child(RECORDS_CLAIM_HELPER, {path, "CART-CRASH", "crash"});
    const auto finished = child.finish(kChildLimit);
    REQUIRE(finished.exit_code == 9);
    REQUIRE_THAT(finished.out, Catch::StartsWith("begun "));
    const auto run = std::stoll(finished.out.substr(6));

    auto log = TreatmentLog::open(path);
    CHECK(log.interrupted_at_open() == std::vector<std::int64_t>{run});
    const auto report = log.report(run);
    CHECK(report.run.outcome == RunOutcome::Interrupted);
    CHECK_THAT(report.run.reason, Catch::Contains("ended without finishing the run"));
    REQUIRE(report.steps.size() == 1);
    CHECK(report.steps[0].outcome == "interrupted");
    // An interrupted run did not finish: its cartridge is not locked out by it.
    CHECK(log.begin_run(run_start("CART-CRASH")) > run);
}

TEST_CASE("a run of a process still alive is left running and holds its cartridge",
          "[records][ledger]") {
    TempDir dir;
    const auto path = dir.file("clinic.db");
    const auto go = dir.file("go");
    ChildProcess child(RECORDS_CLAIM_HELPER, {path, "CART-HELD", "hold", go});
    REQUIRE(child.wait_for_output("begun", kChildLimit));
    {
        auto log = TreatmentLog::open(path);
        CHECK(log.interrupted_at_open().empty());
        CHECK(log.recent_runs().at(0).outcome == RunOutcome::Running);
        CHECK_THROWS_WITH(log.begin_run(run_start("CART-HELD")),
                          Catch::Contains("cartridge CART-HELD is in use by run"));
    }
    std::ofstream(go) << "go\n";
    REQUIRE(child.finish(kChildLimit).exit_code == 0);
    auto log = TreatmentLog::open(path);
    CHECK(log.interrupted_at_open().size() == 1);
}
