// Ctrl-C handling without signal handlers: SIGINT and SIGTERM are blocked in every thread and
// the main thread collects them with sigtimedwait() while it waits anyway. So a Ctrl-C never
// interrupts a pen command half-way, and penctl always gets to stop the pen and reap the
// simulator child before it exits.
#pragma once

#include <chrono>

namespace penctl {

/// Blocks SIGINT, SIGTERM and the internal wake signal. Call first in main(), before any
/// thread exists, so the pen's I/O and callback threads inherit the mask.
void block_stop_signals();

enum class WaitOutcome { TimedOut, Interrupted, Woken };

/// Main thread only: sleeps up to `timeout`, returning early on Ctrl-C/SIGTERM (Interrupted)
/// or after wake_main_thread() (Woken).
WaitOutcome wait_for_stop_signal(std::chrono::milliseconds timeout);

/// Any thread (e.g. a pen callback): makes the main thread's current or next wait return Woken.
void wake_main_thread();

}  // namespace penctl
