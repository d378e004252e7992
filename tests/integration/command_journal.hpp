// What the fault-matrix tests issued and how each command ended, so they can check afterwards
// that nothing hung, every failure was typed, and the pen's state is what the acknowledgements
// promised. Blocking commands are recorded on the test thread, _async completions on the pen's
// callback thread; the journal is thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "penlink/penlink.hpp"
#include "wait.hpp"

namespace penlink {
/// The host's in-flight window (protocol.md 5.1), as the fault matrix reasons about it.
inline constexpr std::size_t protocol_in_flight_window = 16;
}  // namespace penlink

namespace penlink::test {

/// What a command sets. Run: start (1) or stop (0). Other: not part of the pen's set state.
enum class Setting { Depth, Speed, Run, Other };

/// The values a setting may show after the faults: the last-issued acknowledged value, and
/// the values of commands issued after it that ended ambiguously (Timeout or ConnectionLost:
/// the pen may have applied them and only the acknowledgement was lost). A refusal by the pen
/// is definite and adds nothing.
struct Allowed {
    std::optional<double> acknowledged;
    std::vector<double> in_doubt;

    bool admits(double value, double tolerance) const {
        auto near = [&](double candidate) { return std::abs(candidate - value) <= tolerance; };
        return (acknowledged && near(*acknowledged)) ||
               std::any_of(in_doubt.begin(), in_doubt.end(), near);
    }
    std::string describe() const {
        std::ostringstream text;
        text << "acknowledged " << (acknowledged ? std::to_string(*acknowledged) : "nothing");
        if (!in_doubt.empty()) {
            text << ", or in doubt:";
            for (const double value : in_doubt) text << ' ' << value;
        }
        return text.str();
    }
};

class CommandJournal {
public:
    using Clock = std::chrono::steady_clock;

    /// bound: the longest a command may take before it counts as hung.
    /// allowed_failures: the error codes this fault may legitimately cause.
    CommandJournal(std::chrono::milliseconds bound, std::set<ErrorCode> allowed_failures)
        : bound_(bound), allowed_failures_(std::move(allowed_failures)) {}

    /// Runs a blocking command and records its outcome. A penlink::Error is an outcome; any
    /// other exception is recorded as untyped (and fails check()).
    void run(Setting setting, double value, const std::function<void()>& command) {
        const std::size_t index = open_entry(setting, value);
        Result result;
        bool typed = true;
        try {
            command();
        } catch (const Error& error) {
            result = Result::from(error);
        } catch (const std::exception& error) {
            result = Result::failure(ErrorCode::Internal, error.what());
            typed = false;
        } catch (...) {
            result = Result::failure(ErrorCode::Internal, "unknown exception");
            typed = false;
        }
        close_entry(index, result, typed);
    }

    /// The completion handler for an _async command issued right after this call.
    ResultHandler issue(Setting setting, double value) {
        const std::size_t index = open_entry(setting, value);
        return [this, index](const Result& result) { close_entry(index, result, true); };
    }

    /// Waits until every issued command has an outcome (or timeout passes).
    bool wait_all_done(std::chrono::milliseconds timeout) const {
        return wait_until([this] { return unfinished() == 0; }, timeout);
    }

    std::size_t unfinished() const {
        std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(),
                                                      [](const Entry& e) { return !e.finished; }));
    }

    /// The first broken rule, or an empty string: every command finished within the bound,
    /// every failure was typed, carried a message and is one this fault may cause.
    std::string first_violation() const {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            const Entry& e = entries_[i];
            const std::string which = "command #" + std::to_string(i) + " (" + name_of(e) + ")";
            if (!e.finished) return which + " never completed";
            // A pipelined command may first wait for the in-flight window (16 sequence numbers,
            // protocol.md 5.1): one command's bound per window's worth queued ahead of it.
            const auto bound =
                bound_ * static_cast<long>(1 + e.ahead / penlink::protocol_in_flight_window);
            if (e.took > bound) {
                return which + " took " + std::to_string(e.took.count()) + " ms, bound " +
                       std::to_string(bound.count()) + " ms (" + std::to_string(e.ahead) +
                       " commands ahead of it)";
            }
            if (!e.typed) return which + " threw something other than penlink::Error: " + e.message;
            if (e.code == ErrorCode::Ok) continue;
            if (e.message.empty()) return which + " failed with an empty message";
            // Where frames can be lost, a resend can reach the pen after a newer command of its
            // kind; the pen then refuses it as superseded (protocol.md 5.3): definitely not
            // applied, so it adds nothing to what the pen may show.
            const bool superseded =
                e.code == ErrorCode::Rejected &&
                e.message.find("newer command of its kind") != std::string::npos;
            if (superseded && allowed_failures_.count(ErrorCode::Timeout) != 0) continue;
            if (allowed_failures_.count(e.code) == 0) {
                return which + " failed with " + to_string(e.code) + " (" + e.message +
                       "), which this fault cannot explain";
            }
        }
        return {};
    }

    Allowed allowed(Setting setting) const {
        std::lock_guard lock(mutex_);
        Allowed result;
        for (const Entry& e : entries_) {
            if (e.setting != setting || !e.finished) continue;
            if (e.code == ErrorCode::Ok) {
                result.acknowledged = e.value;
                result.in_doubt.clear();
            } else if (e.code == ErrorCode::Timeout || e.code == ErrorCode::ConnectionLost) {
                result.in_doubt.push_back(e.value);
            }
        }
        return result;
    }

    /// One line per outcome kind, for test failure messages.
    std::string summary() const {
        std::lock_guard lock(mutex_);
        std::size_t ok = 0;
        std::map<std::string, std::size_t> failures;
        for (const Entry& e : entries_) {
            if (!e.finished) continue;
            if (e.code == ErrorCode::Ok) {
                ++ok;
            } else {
                ++failures[to_string(e.code)];
            }
        }
        std::string text =
            std::to_string(entries_.size()) + " commands, " + std::to_string(ok) + " ok";
        for (const auto& [code, count] : failures)
            text += ", " + std::to_string(count) + " " + code;
        return text;
    }

    std::size_t count(ErrorCode code) const {
        std::lock_guard lock(mutex_);
        return static_cast<std::size_t>(
            std::count_if(entries_.begin(), entries_.end(),
                          [&](const Entry& e) { return e.finished && e.code == code; }));
    }

private:
    struct Entry {
        Setting setting = Setting::Other;
        double value = 0;
        Clock::time_point issued;
        bool finished = false;
        bool typed = true;
        ErrorCode code = ErrorCode::Ok;
        std::string message;
        std::chrono::milliseconds took{0};
        std::size_t ahead = 0;  // commands still unfinished when this one was issued
    };

    static std::string name_of(const Entry& e) {
        switch (e.setting) {
            case Setting::Depth:
                return "depth " + std::to_string(e.value) + " mm";
            case Setting::Speed:
                return "speed " + std::to_string(e.value) + " Hz";
            case Setting::Run:
                return e.value != 0 ? "start" : "stop";
            case Setting::Other:
                break;
        }
        return "other";
    }

    std::size_t open_entry(Setting setting, double value) {
        std::lock_guard lock(mutex_);
        Entry entry;
        entry.setting = setting;
        entry.value = value;
        entry.ahead = static_cast<std::size_t>(std::count_if(
            entries_.begin(), entries_.end(), [](const Entry& e) { return !e.finished; }));
        entry.issued = Clock::now();
        entries_.push_back(entry);
        return entries_.size() - 1;
    }

    void close_entry(std::size_t index, const Result& result, bool typed) {
        const auto now = Clock::now();
        std::lock_guard lock(mutex_);
        Entry& entry = entries_[index];  // a deque: earlier entries never move
        entry.finished = true;
        entry.typed = typed;
        entry.code = result.code;
        entry.message = result.message;
        entry.took = std::chrono::duration_cast<std::chrono::milliseconds>(now - entry.issued);
    }

    std::chrono::milliseconds bound_;
    std::set<ErrorCode> allowed_failures_;
    mutable std::mutex mutex_;
    std::deque<Entry> entries_;
};

}  // namespace penlink::test
