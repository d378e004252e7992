// `penctl report DB|FILE`: one treatment run of a treatment log as a per-step table, or what a
// session recording holds. `penctl history DB`: recent treatments and the cartridge ledger.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "command_line.hpp"
#include "commands.hpp"
#include "penlink/penlink.hpp"
#include "report_text.hpp"

namespace penctl {
namespace {

constexpr const char* kReportUsage =
    "usage: penctl report DB [--run ID] | penctl report FILE\n"
    "DB, a treatment log: the run's pen, cartridge, recipe, outcome and session\n"
    "recording, a table of its steps (zone, time, strokes, depth set, RF energy,\n"
    "LED dose) and its events.\n"
    "FILE, a session recording (penctl record): its frames and duration.\n"
    "  --run ID                the run to show (default: the newest)\n";

constexpr const char* kHistoryUsage =
    "usage: penctl history DB [--limit N]\n"
    "The newest treatments in the treatment log DB, then the cartridge ledger: each\n"
    "cartridge, the run that used it, and any override reason for its reuse.\n"
    "  --limit N               rows of each list (default 20)\n";

penlink::TreatmentLog open_existing(const std::string& path) {
    penlink::TreatmentLogOptions options;
    options.create = false;  // reading a mistyped name must not leave an empty log behind
    return penlink::TreatmentLog::open(path, options);
}

// label (11 columns) then text wrapped at spaces, continued under the text: within 80 columns.
void print_wrapped(const char* label, const std::string& text) {
    constexpr std::size_t kWidth = 69;
    std::string rest = text;
    bool first = true;
    while (!rest.empty()) {
        std::size_t cut = rest.size() <= kWidth ? rest.size() : rest.rfind(' ', kWidth);
        if (cut == std::string::npos || cut == 0) cut = std::min(kWidth, rest.size());
        std::printf("%s%s\n", first ? label : "           ", rest.substr(0, cut).c_str());
        rest = rest.substr(std::min(rest.size(), cut + (cut < rest.size() && rest[cut] == ' ')));
        first = false;
    }
}

bool is_recording(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    char magic[5] = {};
    file.read(magic, sizeof magic);
    return file && std::string(magic, sizeof magic) == "PLREC";
}

void print_recording(const std::string& path) {
    const auto summary = penlink::summarize_recording(path);
    std::printf("recording  %s\n", fit(path, 69, false).c_str());
    std::printf("of         %s\n", fit(summary.description, 69, false).c_str());
    std::printf("started    %s\n", utc_time(summary.started_unix_ms).c_str());
    std::printf("duration   %.3f s\n", summary.duration_s);
    std::printf("to pen     %llu frames\n", static_cast<unsigned long long>(summary.frames_to_pen));
    std::printf("from pen   %llu frames (%llu status, %llu events)\n",
                static_cast<unsigned long long>(summary.frames_from_pen),
                static_cast<unsigned long long>(summary.status_frames),
                static_cast<unsigned long long>(summary.event_frames));
    if (summary.undecodable_frames > 0)
        std::printf("noise      %llu pieces that were not valid frames\n",
                    static_cast<unsigned long long>(summary.undecodable_frames));
    if (summary.sealed_frames > 0)
        std::printf("sealed     %llu frames of an authenticated session\n",
                    static_cast<unsigned long long>(summary.sealed_frames));
    std::string row = "by type   ";
    for (const auto& [type, count] : summary.frames_by_type) {
        const std::string item = " " + type + " " + std::to_string(count);
        if (row.size() + item.size() + 1 > 80) {
            std::printf("%s\n", row.c_str());
            row = "          ";
        }
        row += item;
    }
    std::printf("%s\n", row.c_str());
    if (!summary.warning.empty()) print_wrapped("warning    ", summary.warning);
}

// The run's session recording, whole (wrapped, never cut: it is for finding the file), and
// whether it is still there and still the same recording.
void print_recording_of(const penlink::RunSummary& run) {
    if (!run.recording) {
        std::printf("recording  none\n");
        return;
    }
    const auto& file = *run.recording;
    print_wrapped("recording  ", file.absolute_path.empty() ? file.path : file.absolute_path);
    const std::string where = file.absolute_path.empty() ? file.path : file.absolute_path;
    std::error_code no_throw;
    if (!std::filesystem::exists(where, no_throw)) {
        std::printf("           (not there any more: moved or deleted)\n");
        return;
    }
    if (file.started_unix_ms == 0) return;
    try {
        if (penlink::identify_recording(where).started_unix_ms != file.started_unix_ms)
            std::printf("           (replaced: the file there is a later recording)\n");
    } catch (const penlink::Error&) {
        std::printf("           (no longer a penlink recording)\n");
    }
}

std::string depth_range(double low, double high) {
    char text[24];
    std::snprintf(text, sizeof text, "%.2f-%.2f", low, high);
    return text;
}

void print_run(penlink::TreatmentLog& log, std::int64_t id) {
    const auto report = log.report(id);
    const auto& run = report.run;
    std::printf("run %lld  %s  %s .. %s\n", static_cast<long long>(run.id),
                penlink::to_string(run.outcome), short_time(run.started_utc).c_str(),
                run.ended_utc.empty() ? "(running)" : short_time(run.ended_utc).c_str());
    std::printf("pen        %s\n",
                fit(run.pen_serial + " (" + run.pen_model + ", firmware " + run.pen_firmware + ")",
                    69, false)
                    .c_str());
    std::printf("cartridge  %s\n", fit(run.cartridge_id, 69, false).c_str());
    if (!run.cartridge_override_reason.empty())
        std::printf("reused     %s\n", fit(run.cartridge_override_reason, 69, false).c_str());
    std::printf("recipe     %s\n",
                fit(run.recipe_name + " (" + run.recipe_hash + ")", 69, false).c_str());
    std::printf("class      %s\n", fit(run.device_class, 69, false).c_str());
    if (!run.client_reference.empty())
        std::printf("client ref %s\n", fit(run.client_reference, 69, false).c_str());
    if (!run.reason.empty()) print_wrapped("reason     ", run.reason);
    print_recording_of(run);
    std::printf("\n");
    // 79 columns: # step zone time strokes depth RF LED outcome
    std::printf(" # %s %s %6s %7s %9s %6s %6s %s\n", fit("step", 14).c_str(),
                fit("zone", 11).c_str(), "time s", "strokes", "depth mm", "RF J", "LED", "outcome");
    for (const auto& step : report.steps) {
        std::printf("%2zu %s %s %6.1f %7llu %9s %6.2f %6.2f %s\n", step.index + 1,
                    fit(step.name, 14).c_str(), fit(step.zone, 11).c_str(),
                    step.ended_s - step.started_s, static_cast<unsigned long long>(step.strokes),
                    depth_range(step.depth_set_min_mm, step.depth_set_max_mm).c_str(),
                    step.rf_energy_j, step.led_dose_j_cm2, fit(step.outcome, 11, false).c_str());
    }
    if (report.steps.empty()) std::printf("   (no steps recorded)\n");
    std::printf("LED in J/cm2; depth is the range set.\n");
    if (!report.events.empty()) {
        std::printf("\nevents\n");
        for (const auto& event : report.events) {
            char time[16];
            std::snprintf(time, sizeof time, "%8.1f s", event.t_s);
            std::printf("%s  %s\n", time, fit(event.kind + ": " + event.text, 68, false).c_str());
        }
    }
}

}  // namespace

int run_report(const Args& args) {
    const CommandLine line("report", args, {{"--run", true}});
    if (line.help()) {
        std::fputs(kReportUsage, stdout);
        return 0;
    }
    const std::string& path = line.url();
    if (is_recording(path)) {
        if (line.has("--run"))
            throw UsageError("--run applies to a treatment log, not a recording");
        print_recording(path);
        return 0;
    }
    const auto chosen = line.whole_number("--run", Range{1, 2'147'483'647, ""});
    auto log = open_existing(path);
    std::int64_t id = 0;
    if (chosen) {
        id = *chosen;
    } else {
        const auto runs = log.recent_runs(1);
        if (runs.empty()) {
            std::printf("no treatments recorded in %s\n", fit(path, 50, false).c_str());
            return 0;
        }
        id = runs[0].id;
    }
    print_run(log, id);
    return 0;
}

int run_history(const Args& args) {
    const CommandLine line("history", args, {{"--limit", true}});
    if (line.help()) {
        std::fputs(kHistoryUsage, stdout);
        return 0;
    }
    const auto limit =
        static_cast<std::size_t>(line.whole_number("--limit", Range{1, 100'000, ""}).value_or(20));
    auto log = open_existing(line.url());
    for (const auto run : log.interrupted_at_open())
        std::printf("run %lld was left unfinished by a process that ended: now interrupted\n",
                    static_cast<long long>(run));
    std::printf("recent treatments (newest first)\n");
    std::printf("%5s  %s %s %s %s %s\n", "run", fit("started (UTC)", 19).c_str(),
                fit("outcome", 11).c_str(), fit("pen", 10).c_str(), fit("cartridge", 12).c_str(),
                "recipe");
    const auto runs = log.recent_runs(limit);
    for (const auto& run : runs) {
        std::printf("%5lld  %s %s %s %s %s\n", static_cast<long long>(run.id),
                    fit(short_time(run.started_utc), 19).c_str(),
                    fit(penlink::to_string(run.outcome), 11).c_str(),
                    fit(run.pen_serial, 10).c_str(), fit(run.cartridge_id, 12).c_str(),
                    fit(run.recipe_name, 14, false).c_str());
    }
    if (runs.empty()) std::printf("  (none)\n");
    std::printf("\ncartridge ledger (newest first)\n");
    std::printf("%s %5s  %s %s %s\n", fit("cartridge", 14).c_str(), "run",
                fit("outcome", 11).c_str(), fit("used (UTC)", 19).c_str(), "override reason");
    const auto uses = log.cartridge_ledger(limit);
    for (const auto& use : uses) {
        std::printf(
            "%s %5lld  %s %s %s\n", fit(use.cartridge_id, 14).c_str(),
            static_cast<long long>(use.run_id), fit(penlink::to_string(use.outcome), 11).c_str(),
            fit(short_time(use.started_utc), 19).c_str(),
            fit(use.override_reason.empty() ? "-" : use.override_reason, 21, false).c_str());
    }
    if (uses.empty()) std::printf("  (none)\n");
    return 0;
}

}  // namespace penctl
