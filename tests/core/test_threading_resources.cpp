// What pens cost the process in threads and file descriptors, Shared against Dedicated, counted
// from /proc/self; one pen's lost link leaving the other pens on the shared I/O thread alone;
// Dedicated pens still doing their whole job. Real pens: in-process simulators (sim://) and
// penlink-sim processes over TCP.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "core/shared_threads.hpp"
#include "penlink-sim/launcher.hpp"
#include "threading_helpers.hpp"

namespace penlink::test {
namespace {

using simtool::SimProcess;

// The shared pools, plus the one simulator thread every sim:// pen of the process shares.
constexpr int kSharedThreads =
    static_cast<int>(core::kSharedIoThreads + core::kSharedCallbackThreads) + 1;

std::vector<std::unique_ptr<Pen>> connect_sim_pens(int count, Threading threading) {
    std::vector<std::unique_ptr<Pen>> pens;
    for (int i = 0; i < count; ++i)
        pens.push_back(Pen::connect("sim://", threading_options(threading)));
    return pens;
}

TEST_CASE("shared pens run a fixed set of threads, whatever their number, gone with the last pen",
          "[threading]") {
    settle_threads();
    const int base = thread_count();
    REQUIRE(base > 0);
    {
        auto pens = connect_sim_pens(1, Threading::Shared);
        const int with_one = thread_count();
        CHECK(with_one - base == kSharedThreads);
        auto more = connect_sim_pens(39, Threading::Shared);
        CHECK(thread_count() == with_one);
        // Streaming on every pen starts no thread either.
        std::vector<Subscription> subscriptions;
        std::atomic<int> frames{0};
        for (auto* list : {&pens, &more})
            for (auto& pen : *list)
                subscriptions.push_back(
                    pen->subscribe_status([&](const Status&) { ++frames; }, 100));
        REQUIRE(wait_until([&] { return frames.load() >= 40 * 5; }));
        CHECK(thread_count() == with_one);
        more.clear();
        CHECK(thread_count() == with_one);  // one pen left: the pools stay
    }
    CHECK(wait_for_thread_count(base) == base);
}

TEST_CASE("dedicated pens add an I/O and a callback thread each, joined when they close",
          "[threading]") {
    settle_threads();
    const int base = thread_count();
    {
        auto first = connect_sim_pens(1, Threading::Dedicated);
        const int with_one = thread_count();
        CHECK(with_one - base == 2 + 1);  // its own two, and the shared simulator thread
        auto more = connect_sim_pens(10, Threading::Dedicated);
        CHECK(thread_count() == with_one + 2 * 10);
        more.resize(5);  // five closed, five left
        CHECK(wait_for_thread_count(with_one + 2 * 5) == with_one + 2 * 5);
    }
    CHECK(wait_for_thread_count(base) == base);
}

TEST_CASE("shared and dedicated pens side by side: each kind costs what it costs alone",
          "[threading]") {
    settle_threads();
    const int base = thread_count();
    {
        auto shared = connect_sim_pens(5, Threading::Shared);
        CHECK(thread_count() - base == kSharedThreads);
        auto dedicated = connect_sim_pens(3, Threading::Dedicated);
        CHECK(thread_count() - base == kSharedThreads + 2 * 3);
        shared.clear();
        // The shared pools end with the last shared pen; the dedicated pens keep theirs.
        CHECK(wait_for_thread_count(base + 1 + 2 * 3) == base + 1 + 2 * 3);
    }
    CHECK(wait_for_thread_count(base) == base);
}

TEST_CASE("a shared sim:// pen adds no file descriptor, a TCP pen its socket", "[threading]") {
    // The first pen starts the pools (an io_context's epoll, eventfd and timerfd): count after.
    auto anchor = Pen::connect("sim://", threading_options());
    const int before = fd_count();
    {
        auto pens = connect_sim_pens(20, Threading::Shared);
        CHECK(fd_count() == before);
    }
    CHECK(fd_count() == before);

    std::vector<std::unique_ptr<SimProcess>> sims;
    for (int i = 0; i < 4; ++i)
        sims.push_back(std::make_unique<SimProcess>(
            PENLINK_SIM_EXE, std::vector<std::string>{"--tcp", "0", "--quiet"}));
    const int with_sims = fd_count();  // each child's stdout pipe
    {
        std::vector<std::unique_ptr<Pen>> pens;
        for (auto& sim : sims) pens.push_back(Pen::connect(sim->url(), threading_options()));
        CHECK(fd_count() == with_sims + 4);
    }
    CHECK(wait_until([&] { return fd_count() == with_sims; }));
}

TEST_CASE("a shared serial pen adds its tty and the epoll set that watches it for input",
          "[threading]") {
    auto anchor = Pen::connect("sim://", threading_options());
    std::vector<std::unique_ptr<SimProcess>> sims;
    for (int i = 0; i < 2; ++i)
        sims.push_back(std::make_unique<SimProcess>(PENLINK_SIM_EXE,
                                                    std::vector<std::string>{"--pty", "--quiet"}));
    const int with_sims = fd_count();
    {
        std::vector<std::unique_ptr<Pen>> pens;
        for (auto& sim : sims) pens.push_back(Pen::connect(sim->url(), threading_options()));
        CHECK(fd_count() == with_sims + 2 * 2);
    }
    CHECK(wait_until([&] { return fd_count() == with_sims; }));
}

TEST_CASE("a dedicated pen adds its own io_context's descriptors, closed with it", "[threading]") {
    auto anchor = Pen::connect("sim://", threading_options());
    const int before = fd_count();
    {
        auto pen = Pen::connect("sim://", threading_options(Threading::Dedicated));
        CHECK(fd_count() - before == 3);  // epoll, eventfd and timerfd of its io_context
    }
    CHECK(wait_until([&] { return fd_count() == before; }));
}

TEST_CASE("one pen's link dying leaves the other pens on the shared I/O thread streaming",
          "[threading]") {
    std::vector<std::unique_ptr<SimProcess>> sims;
    for (int i = 0; i < 3; ++i)
        sims.push_back(std::make_unique<SimProcess>(
            PENLINK_SIM_EXE, std::vector<std::string>{"--tcp", "0", "--quiet"}));
    std::vector<std::unique_ptr<Pen>> pens;
    for (auto& sim : sims) pens.push_back(Pen::connect(sim->url(), threading_options()));
    pens.push_back(Pen::connect("sim://", threading_options()));
    std::vector<std::unique_ptr<std::atomic<int>>> frames;
    std::vector<Subscription> subscriptions;
    for (auto& pen : pens) {
        frames.push_back(std::make_unique<std::atomic<int>>(0));
        auto* count = frames.back().get();
        subscriptions.push_back(pen->subscribe_status([count](const Status&) { ++*count; }, 200));
    }
    REQUIRE(wait_until([&] {
        for (auto& count : frames)
            if (count->load() < 20) return false;
        return true;
    }));

    REQUIRE(::kill(sims[0]->pid(), SIGKILL) == 0);
    REQUIRE(wait_until([&] { return pens[0]->connection_state() == ConnectionState::Lost; }));
    std::vector<int> at_loss;
    for (auto& count : frames) at_loss.push_back(count->load());
    // The others go on: connected, their frames still arriving, their commands answered.
    REQUIRE(wait_until([&] {
        for (std::size_t i = 1; i < frames.size(); ++i)
            if (frames[i]->load() < at_loss[i] + 50) return false;
        return true;
    }));
    for (std::size_t i = 1; i < pens.size(); ++i) {
        CHECK(pens[i]->connection_state() == ConnectionState::Connected);
        pens[i]->set_depth(Depth::mm(0.5 + 0.1 * static_cast<double>(i)));
    }
    CHECK_THROWS_AS(pens[0]->set_depth(Depth::mm(1.0)), ConnectionError);
}

TEST_CASE("a dedicated pen connects, commands, streams and closes", "[threading]") {
    SimProcess sim(PENLINK_SIM_EXE, {"--tcp", "0", "--quiet"});
    for (const std::string& url : {std::string("sim://"), sim.url()}) {
        INFO(url);
        auto pen = Pen::connect(url, threading_options(Threading::Dedicated));
        CHECK(pen->connection_state() == ConnectionState::Connected);
        pen->set_depth(Depth::mm(1.2));
        pen->set_speed(Speed::hz(80));
        std::atomic<int> frames{0};
        auto subscription = pen->subscribe_status([&](const Status&) { ++frames; }, 100);
        std::promise<Result> started;
        pen->start_async([&](const Result& result) { started.set_value(result); });
        auto outcome = started.get_future();
        REQUIRE(outcome.wait_for(kWaitLimit) == std::future_status::ready);
        CHECK(outcome.get().ok());
        REQUIRE(wait_until([&] {
            const auto status = pen->latest_status();
            return frames.load() >= 20 && status && status->state == PenState::Running &&
                   status->depth_set_mm == Approx(1.2);
        }));
        pen->stop();
        const auto settings = pen->read_settings();
        CHECK(settings.depth_set_mm == Approx(1.2));
        pen->close();
        CHECK(pen->connection_state() == ConnectionState::Closed);
        CHECK_THROWS_AS(pen->set_depth(Depth::mm(1.0)), ConnectionError);
    }
}

}  // namespace
}  // namespace penlink::test
