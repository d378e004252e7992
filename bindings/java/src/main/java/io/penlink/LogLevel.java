package io.penlink;

/** Severity of an SDK log line; the order matches the C++ values. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARNING, ERROR, OFF
}
