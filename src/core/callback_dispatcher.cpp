#include "core/callback_dispatcher.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <string>

#include "core/log.hpp"

namespace penlink::core {

void report_callback_exception(const char* what, const char* message) {
    log(LogLevel::Error, std::string(what) + " callback threw: " + message);
}

struct CallbackDispatcher::State {
    explicit State(std::size_t capacity) : ring(capacity == 0 ? 1 : capacity) {}

    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::vector<Status> ring;  // fixed size: no allocation per frame
    std::size_t head = 0;
    std::size_t count = 0;
    std::deque<std::function<void()>> tasks;

    std::mutex handlers_mutex;
    std::vector<std::shared_ptr<StatusEntry>> status_handlers;
    std::atomic<std::size_t> status_handler_count{0};
    std::uint64_t handlers_version = 0;  // +1 on every add/remove; guarded by handlers_mutex

    // Callback thread only: its copy of status_handlers, refreshed when the version moves, so a
    // frame costs no copying (a removed entry left here is inactive and never called).
    std::vector<std::shared_ptr<StatusEntry>> snapshot;
    std::uint64_t snapshot_version = 0;
};

CallbackDispatcher::CallbackDispatcher(std::size_t status_capacity)
    : state_(std::make_shared<State>(status_capacity)) {
    thread_ = std::thread([state = state_] { run(state); });
    thread_id_ = thread_.get_id();
}

CallbackDispatcher::~CallbackDispatcher() { stop(); }

bool CallbackDispatcher::on_callback_thread() const {
    return std::this_thread::get_id() == thread_id_;
}

bool CallbackDispatcher::push_status(const Status& status) {
    if (state_->status_handler_count.load(std::memory_order_relaxed) == 0) return true;
    {
        std::lock_guard lock(state_->mutex);
        auto& s = *state_;
        if (s.stopping) return true;
        if (s.count == s.ring.size()) return false;
        s.ring[(s.head + s.count) % s.ring.size()] = status;
        ++s.count;
    }
    state_->wake.notify_one();
    return true;
}

bool CallbackDispatcher::post(std::function<void()> task) {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->stopping && !on_callback_thread()) return false;
        state_->tasks.push_back(std::move(task));
    }
    state_->wake.notify_one();
    return true;
}

std::shared_ptr<CallbackDispatcher::StatusEntry> CallbackDispatcher::add_status(
    StatusHandler handler) {
    auto entry = std::make_shared<StatusEntry>(std::move(handler));
    std::lock_guard lock(state_->handlers_mutex);
    state_->status_handlers.push_back(entry);
    state_->status_handler_count = state_->status_handlers.size();
    ++state_->handlers_version;
    return entry;
}

void CallbackDispatcher::remove_status(const std::shared_ptr<StatusEntry>& entry) {
    if (!entry) return;
    deactivate(*entry);
    std::lock_guard lock(state_->handlers_mutex);
    auto& list = state_->status_handlers;
    std::erase(list, entry);
    state_->status_handler_count = list.size();
    ++state_->handlers_version;
}

void CallbackDispatcher::stop() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->wake.notify_one();
    if (!thread_.joinable()) return;
    if (on_callback_thread()) {
        // Closing a pen from its own callback: the thread finishes its queue and ends by itself;
        // it owns a reference to the state, so nothing it touches goes away under it.
        thread_.detach();
    } else {
        thread_.join();
    }
}

void CallbackDispatcher::run(const std::shared_ptr<State>& state) {
    auto& s = *state;
    Status frame;
    for (;;) {
        std::function<void()> task;
        bool have_frame = false;
        {
            std::unique_lock lock(s.mutex);
            s.wake.wait(lock, [&] { return s.stopping || s.count > 0 || !s.tasks.empty(); });
            if (!s.tasks.empty()) {
                task = std::move(s.tasks.front());
                s.tasks.pop_front();
            } else if (s.count > 0) {
                frame = s.ring[s.head];
                s.head = (s.head + 1) % s.ring.size();
                --s.count;
                have_frame = true;
            } else {
                return;  // stopping, and everything queued has run
            }
        }
        if (task) {
            try {
                task();
            } catch (const std::exception& error) {
                report_callback_exception("pen", error.what());
            } catch (...) {
                report_callback_exception("pen", "unknown exception");
            }
            continue;
        }
        if (have_frame) {
            {
                std::lock_guard lock(s.handlers_mutex);
                if (s.snapshot_version != s.handlers_version) {
                    s.snapshot.assign(s.status_handlers.begin(), s.status_handlers.end());
                    s.snapshot_version = s.handlers_version;
                }
            }
            for (const auto& entry : s.snapshot) invoke(*entry, "status", frame);
        }
    }
}

}  // namespace penlink::core
