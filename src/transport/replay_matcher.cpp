#include "transport/replay_matcher.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <variant>

namespace penlink::transport {
namespace {

std::string seconds(std::uint64_t time_us) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", static_cast<double>(time_us) / 1e6);
    return text;
}

// "command 5 of 6, frame 9 of the recording, recorded at 0.010 s"
std::string place(const ReplayScript& script, std::size_t index) {
    const auto& request = script.requests[index];
    return "command " + std::to_string(index + 1) + " of " +
           std::to_string(script.requests.size()) + ", frame " +
           std::to_string(request.record + 1) + " of the recording, recorded at " +
           seconds(request.time_us) + " s";
}

}  // namespace

std::optional<ReplayMatch> replay_match_from_text(const std::string& text) {
    if (text == "strict") return ReplayMatch::Strict;
    if (text == "lenient") return ReplayMatch::Lenient;
    return std::nullopt;
}

bool is_loose_request(protocol::MessageType type) {
    using protocol::MessageType;
    switch (type) {
        case MessageType::SubscribeStatus:
        case MessageType::EndSession:
        case MessageType::GetInfo:
        case MessageType::GetSettings:
        case MessageType::GetModules:
        case MessageType::ReadDescriptor:
        case MessageType::GetParams:
        case MessageType::Heartbeat:
            return true;
        default:
            // Everything else changes the pen's output or state (and a vendor request may).
            return false;
    }
}

ReplayMatcher::ReplayMatcher(const ReplayScript& script, ReplayMatch mode)
    : script_(script),
      mode_(mode),
      used_(script.requests.size(), false),
      first_subscription_us_(std::numeric_limits<std::uint64_t>::max()) {
    for (const auto& request : script.requests) {
        if (std::holds_alternative<protocol::SubscribeStatus>(request.message)) {
            first_subscription_us_ = request.time_us;
            break;
        }
    }
}

ReplayAnswer ReplayMatcher::on_request(const protocol::Message& message) {
    return mode_ == ReplayMatch::Strict ? strict(message) : lenient(message);
}

std::size_t ReplayMatcher::next_gate() const {
    if (mode_ == ReplayMatch::Strict) return next_;
    std::size_t index = next_;
    while (index < script_.requests.size() &&
           is_loose_request(protocol::type_of(script_.requests[index].message)))
        ++index;
    return index;
}

std::uint64_t ReplayMatcher::gate_us() const {
    const auto gate = next_gate();
    const auto at = gate < script_.requests.size() ? script_.requests[gate].time_us
                                                   : std::numeric_limits<std::uint64_t>::max();
    return mode_ == ReplayMatch::Lenient && !host_subscribed_ ? std::min(at, first_subscription_us_)
                                                              : at;
}

ReplayAnswer ReplayMatcher::matched(std::size_t index, bool advance) {
    const auto& request = script_.requests[index];
    ReplayAnswer answer;
    if (!request.reply) {
        answer.fail_reason = "the recording ends before the pen answered " +
                             describe_request(request.message) + " (" + place(script_, index) + ")";
        return answer;
    }
    answer.reply = *request.reply;
    if (const auto* rate = std::get_if<protocol::SubscribeStatus>(&request.message)) {
        subscribed_rate_hz_ = rate->rate_hz;
        host_subscribed_ = true;
    }
    answer.ends_session = protocol::type_of(request.message) == protocol::MessageType::EndSession;
    used_[index] = true;
    if (advance) {
        next_ = index + 1;
        answer.anchor_us = request.time_us;
    }
    return answer;
}

ReplayAnswer ReplayMatcher::mismatch(const protocol::Message& message, std::size_t expected) const {
    ReplayAnswer answer;
    const bool lenient = mode_ == ReplayMatch::Lenient;
    if (expected >= script_.requests.size()) {
        answer.fail_reason =
            "the host sent " + describe_request(message) + " but the recording has no more " +
            (lenient
                 ? std::string("commands that change the pen's output")
                 : "commands (all " + std::to_string(script_.requests.size()) + " were played)");
        return answer;
    }
    const auto& request = script_.requests[expected];
    std::string hint;
    if (protocol::type_of(message) == protocol::MessageType::Hello && expected == 0)
        hint =
            "; the recording does not start at a connect (a recording started mid-session has "
            "no handshake): record with ConnectOptions::record_path to replay it";
    answer.fail_reason =
        "the host sent " + describe_request(message) + " but the recording expects " +
        describe_request(request.message) + " next (" + place(script_, expected) +
        (lenient ? "; match=lenient lets only housekeeping and read-only queries differ" : "") +
        ")" + hint;
    return answer;
}

ReplayAnswer ReplayMatcher::strict(const protocol::Message& message) {
    if (next_ < script_.requests.size() && same_request(script_.requests[next_].message, message))
        return matched(next_, true);
    // The session's own housekeeping, answered without the recording.
    const auto type = protocol::type_of(message);
    const auto* rate = std::get_if<protocol::SubscribeStatus>(&message);
    if (type == protocol::MessageType::EndSession ||
        (rate && subscribed_rate_hz_ && *subscribed_rate_hz_ == rate->rate_hz)) {
        ReplayAnswer answer;
        answer.reply = protocol::Ack{type};
        answer.ends_session = type == protocol::MessageType::EndSession;
        return answer;
    }
    return mismatch(message, next_);
}

ReplayAnswer ReplayMatcher::lenient(const protocol::Message& message) {
    const auto gate = next_gate();
    if (is_loose_request(protocol::type_of(message))) return loose(message, gate);
    if (gate < script_.requests.size() && same_request(script_.requests[gate].message, message)) {
        auto answer = matched(gate, true);
        if (answer.reply) last_output_ = gate;
        return answer;
    }
    // The app's own retry of the command just matched changes nothing: the same answer.
    if (last_output_ && same_request(script_.requests[*last_output_].message, message))
        return matched(*last_output_, false);
    return mismatch(message, gate);
}

ReplayAnswer ReplayMatcher::loose(const protocol::Message& message, std::size_t gate) {
    const auto& requests = script_.requests;
    // The same query recorded before the next output command and not yet answered: it.
    const auto type = protocol::type_of(message);
    for (std::size_t i = next_; i < gate; ++i) {
        if (!used_[i] && requests[i].reply && same_request(requests[i].message, message)) {
            auto answer = matched(i, false);
            // The stream goes on from the recorded subscription, as it did in the recording.
            if (type == protocol::MessageType::SubscribeStatus)
                answer.anchor_us = requests[i].time_us;
            return answer;
        }
    }
    if (type == protocol::MessageType::SubscribeStatus ||
        type == protocol::MessageType::EndSession) {
        ReplayAnswer answer;
        answer.reply = protocol::Ack{type};
        answer.ends_session = type == protocol::MessageType::EndSession;
        if (const auto* rate = std::get_if<protocol::SubscribeStatus>(&message)) {
            subscribed_rate_hz_ = rate->rate_hz;
            host_subscribed_ = true;
        }
        return answer;
    }
    // A query asked again or at another moment: the recorded answer nearest before this point,
    // else the first one after it.
    for (std::size_t i = std::min(gate, requests.size()); i-- > 0;) {
        if (requests[i].reply && same_request(requests[i].message, message))
            return matched(i, false);
    }
    for (std::size_t i = gate; i < requests.size(); ++i) {
        if (requests[i].reply && same_request(requests[i].message, message))
            return matched(i, false);
    }
    ReplayAnswer answer;
    answer.fail_reason = "the host asked " + describe_request(message) +
                         ", which the recording never answered; match=lenient answers a "
                         "read-only query only with a recorded answer to the same query";
    if (gate < requests.size())
        answer.fail_reason += " (the next command that changes the pen's output is " +
                              describe_request(requests[gate].message) + ", " +
                              place(script_, gate) + ")";
    return answer;
}

}  // namespace penlink::transport
