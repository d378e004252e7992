// A fast stream's link read on the callback runs (CallbackDispatcher::LinkPolling): between two
// deferred runs the link keeps quiet, the next run reads what it holds before any callback, the
// link listens again during every callback, and every frame is delivered once, in order, whether
// the I/O side or a run read it. The link here is a stand-in: a thread that pushes frames as an
// I/O thread would while the link listens, and leaves them on the link while it keeps quiet.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "core/callback_dispatcher.hpp"
#include "core/shared_threads.hpp"
#include "wait.hpp"

namespace penlink::test {
namespace {

using core::CallbackDispatcher;
using core::CallbackPool;
using core::kStatusRunInterval;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

protocol::Status frame(std::uint32_t seq) {
    protocol::Status status;
    status.status_seq = seq;
    return status;
}

/// The link: frames arrive (arrive()); while it listens they go to the dispatcher at once, as
/// the I/O thread's reads would; while it keeps quiet they wait on it for read_and_listen().
class FakeLink final : public CallbackDispatcher::LinkPolling {
public:
    explicit FakeLink(CallbackDispatcher& dispatcher) : dispatcher_(dispatcher) {}

    void arrive(std::uint32_t seq) {
        std::lock_guard lock(mutex_);
        if (quiet_) {
            waiting_.push_back(seq);
            return;
        }
        REQUIRE(dispatcher_.push_status(frame(seq)));
        dispatcher_.flush();
    }

    void read_and_listen() override {
        std::lock_guard lock(mutex_);
        if (!quiet_) ++misordered_;  // only a quiet link is read and told to listen
        for (const auto seq : waiting_) {
            REQUIRE(dispatcher_.push_status(frame(seq)));
            ++read_by_runs_;
        }
        waiting_.clear();
        dispatcher_.flush();
        quiet_ = false;
        quiet_now_ = false;
        ++listens_;
    }

    void quiet(bool quiet) override {
        std::lock_guard lock(mutex_);
        if (quiet == quiet_) ++misordered_;  // calls only ever change the state
        quiet_ = quiet;
        quiet_now_ = quiet;
        if (quiet)
            ++quiets_;
        else
            ++listens_;
    }

    std::atomic<bool> quiet_now_{false};
    int quiets() {
        std::lock_guard lock(mutex_);
        return quiets_;
    }
    int misordered() {
        std::lock_guard lock(mutex_);
        return misordered_;
    }
    std::uint64_t read_by_runs() {
        std::lock_guard lock(mutex_);
        return read_by_runs_;
    }
    std::size_t waiting() {
        std::lock_guard lock(mutex_);
        return waiting_.size();
    }

private:
    CallbackDispatcher& dispatcher_;
    std::mutex mutex_;
    bool quiet_ = false;
    std::deque<std::uint32_t> waiting_;
    int quiets_ = 0;
    int listens_ = 0;
    int misordered_ = 0;
    std::uint64_t read_by_runs_ = 0;
};

/// What the status callback saw.
struct Seen {
    std::mutex mutex;
    std::vector<std::uint32_t> seqs;
    int while_quiet = 0;  // callbacks that ran while the link kept quiet
    std::size_t size() {
        std::lock_guard lock(mutex);
        return seqs.size();
    }
};

}  // namespace

TEST_CASE(
    "a fast stream's link keeps quiet between runs and is read by the next run, every frame "
    "once and in order",
    "[callbacks][link_polling]") {
    Seen seen;
    CallbackDispatcher dispatcher(1 << 16, std::make_shared<CallbackPool>(1));
    FakeLink link(dispatcher);
    dispatcher.set_link_polling(&link);
    auto entry = dispatcher.add_status([&](const Status& status) {
        std::lock_guard lock(seen.mutex);
        seen.seqs.push_back(status.sequence);
        if (link.quiet_now_.load()) ++seen.while_quiet;
    });

    // Tens of kHz for 200 ms, then nothing.
    std::uint32_t arrived = 0;
    const auto start = steady_clock::now();
    while (steady_clock::now() - start < milliseconds(200)) {
        link.arrive(++arrived);
        const auto spin_until = steady_clock::now() + std::chrono::microseconds(20);
        while (steady_clock::now() < spin_until) {
        }
    }
    REQUIRE(wait_until([&] { return seen.size() == arrived; }));
    // The stream stopped: a run found nothing more, and the link listens again.
    REQUIRE(wait_until([&] { return !link.quiet_now_.load(); }));
    CHECK(link.waiting() == 0);

    {
        std::lock_guard lock(seen.mutex);
        REQUIRE(seen.seqs.size() == arrived);
        for (std::size_t i = 0; i < seen.seqs.size(); ++i) REQUIRE(seen.seqs[i] == i + 1);
        CHECK(seen.while_quiet == 0);  // the link listened during every callback
    }
    INFO(arrived << " frames; " << link.read_by_runs() << " read by runs; " << link.quiets()
                 << " quiet spells; " << dispatcher.status_runs() << " runs");
    CHECK(link.quiets() > 10);
    CHECK(link.read_by_runs() > arrived / 10);  // much of the stream came in through the runs
    CHECK(link.misordered() == 0);
    dispatcher.remove_status(entry);
}

TEST_CASE("a slow stream's link never keeps quiet", "[callbacks][link_polling]") {
    Seen seen;
    CallbackDispatcher dispatcher(64, std::make_shared<CallbackPool>(1));
    FakeLink link(dispatcher);
    dispatcher.set_link_polling(&link);
    auto entry = dispatcher.add_status([&](const Status& status) {
        std::lock_guard lock(seen.mutex);
        seen.seqs.push_back(status.sequence);
    });
    for (std::uint32_t seq = 1; seq <= 5; ++seq) {
        link.arrive(seq);
        REQUIRE(wait_until([&] { return seen.size() == seq; }));
        std::this_thread::sleep_for(kStatusRunInterval * 5);
    }
    CHECK(link.quiets() == 0);
    CHECK(link.misordered() == 0);
    dispatcher.remove_status(entry);
}

TEST_CASE("stopping the queue while its link keeps quiet lets the link listen again",
          "[callbacks][link_polling]") {
    Seen seen;
    auto dispatcher = std::make_unique<CallbackDispatcher>(
        1 << 16, std::make_shared<CallbackPool>(1), CallbackDispatcher::Executor{},
        milliseconds(500));  // a long interval: the deferred run is still waiting at stop()
    FakeLink link(*dispatcher);
    dispatcher->set_link_polling(&link);
    auto entry = dispatcher->add_status([&](const Status& status) {
        std::lock_guard lock(seen.mutex);
        seen.seqs.push_back(status.sequence);
    });
    // Two runs close together: the second defers the next one, and the link keeps quiet.
    link.arrive(1);
    REQUIRE(wait_until([&] { return seen.size() == 1; }));
    link.arrive(2);
    REQUIRE(wait_until([&] { return link.quiet_now_.load(); }));
    link.arrive(3);  // waits on the quiet link
    CHECK(link.waiting() == 1);
    dispatcher->stop();
    CHECK_FALSE(link.quiet_now_.load());
    CHECK(link.misordered() == 0);
    dispatcher->remove_status(entry);
}

}  // namespace penlink::test
