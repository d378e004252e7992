// How replay:// answers the host's requests (docs/records.md, "Replay"): which recorded
// request a host request matches, and what to answer or why the replay ends. Pure: no I/O, no
// threads, no clock; ReplayTransport does the timing and the bytes, the fuzzer
// (fuzz/fuzz_recording) drives this with any recording.
//
// Strict (the default): each request must be the one the recording holds next.
// Lenient (replay://FILE?match=lenient): only requests that change the pen's output (depth,
// speed, start/stop, RF, LED, module parameters, limits, faults, e-stop, the handshake) must come
// in the recorded order with the recorded values. The session's housekeeping (status
// subscriptions at any rate, EndSession) and read-only queries (GetInfo, GetSettings,
// GetModules, ReadDescriptor, GetParams) may be left out, repeated or sent at other moments: a
// query is answered with the recorded answer to the same query. A repeat of the output command
// just matched (an app's own retry) gets its recorded answer again. Status waits for the next
// output command (and, until the host subscribes, for its subscription), not for the queries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "transport/replay_script.hpp"

namespace penlink::transport {

/// How strictly replay:// matches the host's requests against the recording.
enum class ReplayMatch { Strict, Lenient };

/// "strict" / "lenient" -> ReplayMatch; nullopt for anything else.
std::optional<ReplayMatch> replay_match_from_text(const std::string& text);

/// True for requests lenient replay lets the host send out of line: status subscriptions,
/// EndSession and the read-only queries. Heartbeats never reach the matcher.
bool is_loose_request(protocol::MessageType type);

/// What to do with one host request.
struct ReplayAnswer {
    /// Empty: the replay ends with fail_reason. Otherwise the pen's answer.
    std::optional<protocol::Message> reply;
    /// Set: move the playback clock to this recorded time (a request that changes the output
    /// matched; the stream goes on from there).
    std::optional<std::uint64_t> anchor_us;
    bool ends_session = false;  ///< EndSession answered: the pen's stream stops
    std::string fail_reason;    ///< why the replay ends, naming both requests and the frame
};

class ReplayMatcher {
public:
    /// script must outlive the matcher.
    ReplayMatcher(const ReplayScript& script, ReplayMatch mode);

    /// The answer to one host request (not a heartbeat or a resend of an answered seq).
    ReplayAnswer on_request(const protocol::Message& message);
    /// The recorded time of the next request the stream waits for: status recorded after it
    /// is held back until the host sends it. UINT64_MAX when none is left.
    std::uint64_t gate_us() const;
    /// Requests matched so far (their index in the script is below this).
    std::size_t position() const { return next_; }

private:
    ReplayAnswer matched(std::size_t index, bool advance);
    ReplayAnswer strict(const protocol::Message& message);
    ReplayAnswer lenient(const protocol::Message& message);
    ReplayAnswer loose(const protocol::Message& message, std::size_t gate);
    std::size_t next_gate() const;  // index of the next request that must match, or size
    ReplayAnswer mismatch(const protocol::Message& message, std::size_t expected) const;

    const ReplayScript& script_;
    ReplayMatch mode_;
    std::size_t next_ = 0;
    std::vector<bool> used_;                  // lenient: loose requests already answered
    std::optional<std::size_t> last_output_;  // lenient: the output request matched last
    std::optional<std::uint16_t> subscribed_rate_hz_;
    // lenient: status recorded after the recording's first subscription waits for the host's
    // own (a pen streams only once asked; a status during the handshake would confuse it).
    std::uint64_t first_subscription_us_;
    bool host_subscribed_ = false;
};

}  // namespace penlink::transport
