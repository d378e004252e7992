// penctl's subcommands. Each takes the arguments after its name, prints to stdout, and returns
// the exit code (0 ok). Usage mistakes throw UsageError (exit 2); pen and SDK failures throw
// penlink::Error (exit 1); main() turns both into a one-line "penctl: reason".
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "penlink/pen.hpp"

namespace penctl {

using Args = std::vector<std::string>;

int run_ports(const Args& args);
int run_scan(const Args& args);
int run_info(const Args& args);
int run_set(const Args& args);
int run_rf(const Args& args);
int run_led(const Args& args);
int run_estop(const Args& args);
int run_clear_estop(const Args& args);
int run_clear_faults(const Args& args);
int run_monitor(const Args& args);
int run_demo(const Args& args);
int run_modules(const Args& args);
int run_param(const Args& args);
int run_validate(const Args& args);
int run_recipe(const Args& args);  // `penctl run`
int run_record(const Args& args);
int run_report(const Args& args);
int run_history(const Args& args);

/// Exit code of a run that Ctrl-C cut short before it finished its script (128 + SIGINT).
constexpr int kExitInterrupted = 130;

/// Connects to the pen at url. Commands that never look at status pass keep_status_fresh =
/// false so the SDK does not ask for an idle status stream they would close again at once.
/// A non-empty record_path records the whole session there (penctl record).
std::unique_ptr<penlink::Pen> connect_pen(const std::string& url, bool keep_status_fresh,
                                          const std::string& record_path = {});
/// The key file connect_pen() loads (penctl --key-file; else $PENLINK_KEY_FILE, if set).
void set_key_file(const std::string& path);

/// Identity and capabilities of a connected pen, one "name  value" line each.
void print_device_info(std::FILE* out, const penlink::Pen& pen);

}  // namespace penctl
