// The proxy's control language, shared by stdin, the control port and the command-line fault
// flags, so all three accept the same words and give the same error messages.
//
//   drop|dup|corrupt|truncate DIR P   per-frame probability 0..1 (DIR: h2p, p2h or both)
//   stall DIR MS                      hold DIR's bytes for MS ms (0 ends a stall)
//   throttle DIR BYTES_PER_S          pace DIR like a slow link (0 = unlimited)
//   unplug                            close the host connection and its pen side
//   pen-loss hangup|keep              what a pen-side disconnect does to the host connection
//   seed N                            restart the fault RNG
//   clear                             every fault off
//   stats                             counters per direction
//   help                              the command list
//
// Every command gets one reply line: "ok ..." or "error: <why>".
#pragma once

#include <string>
#include <string_view>

#include "proxy.hpp"

namespace penlink::proxytool {

/// Runs one command line against proxy; returns the reply (no newline). Blank lines and lines
/// starting with '#' return an empty string and need no reply.
std::string execute_command(Proxy& proxy, std::string_view line);

/// The one-line command summary that "help" prints.
const char* command_summary();

}  // namespace penlink::proxytool
