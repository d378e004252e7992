/// @file penlink_bind_listeners.hpp
/// @brief The listener classes a host language subclasses (SWIG directors, see callbacks.i) to
/// receive status frames, events, connection state changes and log lines.
///
/// The host language must keep each listener referenced for as long as its Subscription lives
/// (the C++ side only holds a plain pointer to it). Threads: status, event and connection
/// listeners run on the pen's callback thread (see penlink/pen.hpp), the log listener on
/// whichever thread logs. Header-only like penlink_bind.hpp.
#pragma once

#include <string>

#include "penlink/penlink.hpp"

namespace penlink::bind {

class StatusListener {
public:
    virtual ~StatusListener() = default;
    virtual void on_status(const Status& status) = 0;
};

class EventListener {
public:
    virtual ~EventListener() = default;
    virtual void on_event(const Event& event) = 0;
};

class ConnectionListener {
public:
    virtual ~ConnectionListener() = default;
    /// reason is empty for ordinary changes, e.g. "no answer for 500 ms" when Lost.
    virtual void on_connection_state(ConnectionState state, const std::string& reason) = 0;
};

class LogListener {
public:
    virtual ~LogListener() = default;
    virtual void on_log(LogLevel level, const std::string& message) = 0;
};

}  // namespace penlink::bind
