// The callback thread of one pen. Runs user callbacks one at a time, off the I/O thread, so a
// slow callback never stalls the link. Status frames travel through a fixed ring (no heap per
// frame; a full ring drops the frame and says so); other callbacks are queued tasks, run in
// order, before pending status frames.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "penlink/types.hpp"

namespace penlink::core {

void report_callback_exception(const char* what, const char* message);

/// A registered callback. active goes false on unsubscribe; call_mutex is held while the
/// callback runs, so unsubscribe can wait for a running call to finish. It is recursive so a
/// callback can unsubscribe itself.
template <typename Handler>
struct HandlerEntry {
    explicit HandlerEntry(Handler h) : handler(std::move(h)) {}
    Handler handler;
    std::recursive_mutex call_mutex;
    bool active = true;  // guarded by call_mutex
};

class CallbackDispatcher {
public:
    using StatusHandler = std::function<void(const Status&)>;
    using StatusEntry = HandlerEntry<StatusHandler>;

    explicit CallbackDispatcher(std::size_t status_capacity);
    ~CallbackDispatcher();
    CallbackDispatcher(const CallbackDispatcher&) = delete;
    CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

    /// Queues a status frame for the status handlers. Returns false (frame dropped) if the ring
    /// is full. Cheap no-op returning true when nobody listens.
    bool push_status(const Status& status);
    /// Queues a callback task. Returns false (task not queued) once stop() has begun.
    bool post(std::function<void()> task);

    /// Registers a status handler; the returned entry is what remove_status() takes.
    std::shared_ptr<StatusEntry> add_status(StatusHandler handler);
    /// Unregisters; when called off the callback thread, waits for a running call to finish.
    void remove_status(const std::shared_ptr<StatusEntry>& entry);

    /// Runs the queued tasks and frames, then ends the thread. Safe from inside a callback.
    void stop();
    bool on_callback_thread() const;

private:
    struct State;
    static void run(const std::shared_ptr<State>& state);
    std::shared_ptr<State> state_;
    std::thread thread_;
    std::thread::id thread_id_;  // set once in the constructor
};

/// Marks an entry inactive, waiting for a running call to finish (unless the caller is that
/// call, which the recursive mutex lets through).
template <typename Entry>
void deactivate(Entry& entry) {
    std::lock_guard lock(entry.call_mutex);
    entry.active = false;
}

/// Calls entry's handler if still active. Anything it throws is logged, never propagated:
/// a user's bug must not kill the pen's callback thread.
template <typename Entry, typename... Args>
void invoke(Entry& entry, const char* what, const Args&... args) {
    std::lock_guard lock(entry.call_mutex);
    if (!entry.active) return;
    try {
        entry.handler(args...);
    } catch (const std::exception& error) {
        report_callback_exception(what, error.what());
    } catch (...) {
        report_callback_exception(what, "unknown exception");
    }
}

}  // namespace penlink::core
