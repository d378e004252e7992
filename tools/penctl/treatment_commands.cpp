// `penctl validate` and `penctl run`: treatment recipes (docs/treatments.md) checked offline or
// against a pen, and run with a live progress line; Ctrl-C aborts with everything off.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "command_line.hpp"
#include "commands.hpp"
#include "penlink/errors.hpp"
#include "penlink/records.hpp"
#include "penlink/treatment_record.hpp"
#include "penlink/treatment_runner.hpp"
#include "stop_signals.hpp"
#include "treatment_display.hpp"

namespace penctl {
namespace {

namespace tr = penlink::treatment;

constexpr const char* kValidateUsage =
    "usage: penctl validate RECIPE [URL] [--class professional|at-home]\n"
    "                       [--at-home-cap-mm MM] [--zones FILE] [--modules DIR]\n"
    "                       [--depth-limit-mm MM]\n"
    "Checks a treatment recipe against the zone chart and the device class, and with\n"
    "URL against the pen: its depth limit, ranges and fitted modules. Lists every\n"
    "violation (step, field, value, limit, unit). Exit 0 if it may run, 1 if not.\n"
    "  --class C               professional (default) or at-home\n"
    "  --at-home-cap-mm MM     the at-home depth cap (default 0.25)\n"
    "  --zones FILE            a clinic's zone chart instead of the standard one\n"
    "  --modules DIR           module descriptors (*.json) to check settings against\n"
    "                          offline (the standard rf and led are known)\n"
    "  --depth-limit-mm MM     offline: the session depth limit to check against\n";

constexpr const char* kRunUsage =
    "usage: penctl run RECIPE URL [--class professional|at-home]\n"
    "                  [--at-home-cap-mm MM] [--zones FILE] [--db FILE | --no-record]\n"
    "                  [--client REF] [--reuse-cartridge REASON] [--record FILE]\n"
    "Runs a treatment recipe on the pen: validates it first, then each step with a\n"
    "live progress line (step i of n, zone, time left, strokes). A pause step waits\n"
    "for the pen's button. Ctrl-C aborts: needle, RF and LED off. Exit 0 completed,\n"
    "1 refused or failed (the step and reason on stderr), 130 interrupted.\n"
    "The run is written to the treatment record (penctl report/history read it), its\n"
    "cartridge claimed there first: a cartridge a finished run used is refused.\n"
    "  --class C               professional (default) or at-home\n"
    "  --at-home-cap-mm MM     the at-home depth cap (default 0.25)\n"
    "  --zones FILE            a clinic's zone chart instead of the standard one\n"
    "  --db FILE               the treatment record (default $PENLINK_TREATMENT_DB,\n"
    "                          else ~/.local/share/penlink/treatments.db)\n"
    "  --no-record             run without writing a record (and without the ledger)\n"
    "  --client REF            an opaque client reference to store (no names)\n"
    "  --reuse-cartridge WHY   run on a used cartridge; the reason is recorded\n"
    "  --record FILE           record the session to FILE (penctl record's format);\n"
    "                          the treatment record names it (penctl report shows it)\n";

/// Where penctl keeps the treatment record unless told: $PENLINK_TREATMENT_DB, else the XDG
/// data directory (its folder created on first use).
std::string default_treatment_db() {
    if (const char* path = std::getenv("PENLINK_TREATMENT_DB"); path && *path) return path;
    std::filesystem::path base;
    if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data) {
        base = data;
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        base = std::filesystem::path(home) / ".local" / "share";
    } else {
        throw UsageError("no HOME to keep the treatment record in: give --db FILE");
    }
    const auto dir = base / "penlink";
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) throw UsageError("cannot create " + dir.string() + ": " + error.message());
    return (dir / "treatments.db").string();
}

/// Lines of at most width columns, broken at spaces; continuation lines indented by indent.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
    std::string out;
    std::string line;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line = indent;
        }
        line += (line.empty() || line == indent ? "" : " ") + word;
        while (line.size() > width) {  // a word longer than a line
            out += line.substr(0, width) + "\n";
            line = indent + line.substr(width);
        }
        start = end + 1;
    }
    return out + line + "\n";
}

tr::DeviceProfile device_of(const CommandLine& line) {
    tr::DeviceProfile device;
    if (const auto text = line.text("--class")) {
        try {
            device.device_class = tr::parse_device_class(*text);
        } catch (const penlink::InvalidArgumentError& error) {
            throw UsageError(std::string("--class: ") + error.what());
        }
    }
    if (const auto cap = line.number("--at-home-cap-mm", Range{0, 10, "mm", true})) {
        device.at_home_depth_cap_mm = *cap;
    }
    return device;
}

tr::ZoneChart zones_of(const CommandLine& line) {
    const auto file = line.text("--zones");
    return file ? tr::ZoneChart::load_file(*file) : tr::ZoneChart::standard();
}

void print_report(const tr::ValidationReport& report) {
    for (const auto& violation : report.violations) {
        std::fputs(wrap(violation.message, 80, "    ").c_str(), stdout);
    }
    for (const auto& note : report.notes)
        std::fputs(wrap("note: " + note, 80, "    ").c_str(), stdout);
}

void print_recipe_line(const tr::Recipe& recipe) {
    std::string name = recipe.name.size() > 40 ? recipe.name.substr(0, 40) : recipe.name;
    std::printf("recipe: %s (%zu steps, %.1f s)\n", name.c_str(), recipe.steps.size(),
                recipe.total_duration_s());
}

/// Prints the run's step and event lines through the progress line.
class PrintingObserver : public tr::RunObserver {
public:
    PrintingObserver(ProgressLine& line, const tr::Recipe& recipe) : line_(line), recipe_(recipe) {}
    void step_started(std::size_t index, const tr::RecipeStep& step, double) override {
        char text[160];
        if (step.kind == tr::StepKind::Pause) {
            std::snprintf(text, sizeof text, "step %zu/%zu %s: %s", index + 1, recipe_.steps.size(),
                          step.name.c_str(), step.message.c_str());
        } else {
            std::snprintf(text, sizeof text, "step %zu/%zu %s: %s, %.2f mm, %.0f Hz, %.1f s",
                          index + 1, recipe_.steps.size(), step.name.c_str(), step.zone.c_str(),
                          step.depth_mm, step.speed_hz, step.duration_s);
        }
        line_.note(text);
    }
    void event(double, const std::string& kind, const std::string& text) override {
        if (kind == "pass" || kind == "operator" || kind == "warning" || kind == "skip" ||
            kind == "pause" || kind == "resume") {
            line_.note("  " + kind + ": " + text);
        }
    }
    void run_finished(const tr::RunResult&) override { wake_main_thread(); }

private:
    ProgressLine& line_;
    const tr::Recipe& recipe_;
};

void print_summary(const tr::Recipe& recipe, const tr::RunResult& result) {
    std::printf("%-4s  %-20s  %-11s  %7s  %-9s  %6s  %s\n", "step", "name", "zone", "strokes",
                "depth mm", "RF J", "outcome");
    std::uint64_t strokes = 0;
    for (const auto& step : result.steps) {
        char depth[32] = "-";
        if (!step.zone.empty()) {
            std::snprintf(depth, sizeof depth, "%.2f-%.2f", step.depth_set_min_mm,
                          step.depth_set_max_mm);
        }
        std::printf("%-4zu  %-20.20s  %-11.11s  %7llu  %-9s  %6.1f  %s\n", step.index + 1,
                    step.name.c_str(), step.zone.c_str(),
                    static_cast<unsigned long long>(step.strokes), depth, step.rf_energy_j,
                    step.outcome.c_str());
        strokes += step.strokes;
    }
    std::printf("result: %s in %.1f s, %llu strokes, %zu of %zu steps\n",
                tr::to_string(result.outcome), result.duration_s,
                static_cast<unsigned long long>(strokes), result.steps.size(), recipe.steps.size());
}

}  // namespace

int run_validate(const Args& args) {
    const CommandLine line("validate", args,
                           {{"--class", true},
                            {"--at-home-cap-mm", true},
                            {"--zones", true},
                            {"--modules", true},
                            {"--depth-limit-mm", true}});
    if (line.help()) {
        std::fputs(kValidateUsage, stdout);
        return 0;
    }
    const auto& positionals = line.positionals();
    if (positionals.empty() || positionals.size() > 2) {
        throw UsageError("validate takes RECIPE and an optional URL");
    }
    tr::ValidationOptions options;
    options.device = device_of(line);
    options.depth_limit_mm = line.number("--depth-limit-mm", Range{0, 10, "mm", true});
    if (const auto dir = line.text("--modules")) {
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator(*dir, error)) {
            if (entry.path().extension() != ".json") continue;
            std::FILE* file = std::fopen(entry.path().c_str(), "rb");
            if (!file) throw penlink::InvalidArgumentError("cannot read " + entry.path().string());
            std::string text;
            char chunk[4096];
            for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, file)) > 0;) {
                text.append(chunk, n);
            }
            std::fclose(file);
            try {
                options.descriptors.push_back(penlink::parse_module_descriptor(text));
            } catch (const penlink::InvalidArgumentError& bad) {
                throw penlink::InvalidArgumentError(entry.path().string() + ": " + bad.what());
            }
        }
        if (error) throw UsageError("--modules: cannot list " + *dir + ": " + error.message());
    }
    options.zones = zones_of(line);
    const tr::Recipe recipe = tr::load_recipe(positionals[0]);
    print_recipe_line(recipe);
    tr::ValidationReport report;
    if (positionals.size() == 2) {
        if (options.depth_limit_mm) {
            throw UsageError("--depth-limit-mm is for offline checks; the pen has its own");
        }
        const auto pen = connect_pen(positionals[1], false);
        report = tr::validate(recipe, *pen, options);
    } else {
        report = tr::validate(recipe, options);
    }
    print_report(report);
    if (report.ok()) {
        std::printf("ok: may run on a%s %s device\n",
                    options.device.device_class == tr::DeviceClass::AtHome ? "n" : "",
                    tr::to_string(options.device.device_class));
        return 0;
    }
    std::fflush(stdout);
    std::fprintf(stderr, "penctl: recipe refused: %zu violation%s (listed above)\n",
                 report.violations.size(), report.violations.size() == 1 ? "" : "s");
    return 1;
}

int run_recipe(const Args& args) {
    const CommandLine line("run", args,
                           {{"--class", true},
                            {"--at-home-cap-mm", true},
                            {"--zones", true},
                            {"--db", true},
                            {"--no-record", false},
                            {"--client", true},
                            {"--reuse-cartridge", true},
                            {"--record", true}});
    if (line.help()) {
        std::fputs(kRunUsage, stdout);
        return 0;
    }
    if (line.positionals().size() != 2) throw UsageError("run takes RECIPE and URL");
    tr::RunOptions options;
    options.device = device_of(line);
    options.zones = zones_of(line);
    line.at_most_one_of({"--db", "--no-record"});
    const tr::Recipe recipe = tr::load_recipe(line.positionals()[0]);
    print_recipe_line(recipe);
    // The record opens before the pen: a record that cannot be written stops the run early.
    std::optional<penlink::TreatmentLog> log;
    if (!line.has("--no-record")) {
        log.emplace(
            penlink::TreatmentLog::open(line.text("--db").value_or(default_treatment_db())));
    }
    // The pen records from its first frame; the run record learns the file from the pen.
    const auto pen = connect_pen(line.positionals()[1], true, line.text("--record").value_or(""));

    ProgressLine progress(stdout);
    PrintingObserver observer(progress, recipe);
    std::optional<tr::RunRecord> record;
    options.observer = &observer;
    if (log) {
        tr::RunRecordOptions record_options;
        record_options.client_reference = line.text("--client").value_or("");
        record_options.cartridge_override_reason = line.text("--reuse-cartridge").value_or("");
        record.emplace(*log, record_options, &observer);
        options.observer = &*record;
    }
    options.on_progress = [&progress](const tr::RunProgress& report) { progress.show(report); };
    tr::Runner runner(*pen, recipe, options);
    try {
        runner.start();
    } catch (const penlink::InvalidArgumentError&) {
        print_report(runner.validation());
        throw std::runtime_error(
            "recipe refused: " + std::to_string(runner.validation().violations.size()) +
            " violations (listed above)");
    }
    bool interrupted = false;
    std::optional<tr::RunResult> result;
    while (!(result = runner.wait_for(std::chrono::milliseconds(0)))) {
        if (wait_for_stop_signal(std::chrono::milliseconds(200)) == WaitOutcome::Interrupted &&
            !interrupted) {
            interrupted = true;
            runner.abort("interrupted (Ctrl-C)");
        }
    }
    progress.finish();
    pen->close();
    print_summary(recipe, *result);
    if (record && record->run_id()) {
        std::printf("recorded as run %lld in %s\n", static_cast<long long>(*record->run_id()),
                    log->path().c_str());
    }
    if (const auto session = line.text("--record"))
        std::printf("session recorded to %s\n", session->c_str());
    if (result->outcome == tr::RunOutcome::Completed) return 0;
    std::string where;
    if (result->step) {
        where = " at step " + std::to_string(*result->step + 1) + " (" +
                recipe.steps[*result->step].name + ")";
    }
    if (interrupted) {
        std::printf("interrupted%s: needle, RF and LED off\n", where.c_str());
        return kExitInterrupted;
    }
    throw std::runtime_error(std::string("run ") + tr::to_string(result->outcome) + where + ": " +
                             result->reason);
}

}  // namespace penctl
