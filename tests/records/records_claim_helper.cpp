// A second (third...) process for the treatment-log tests: claims a cartridge in a shared log,
// or begins a run and dies without finishing it.
//
//   records_claim_helper DB CARTRIDGE claim GO_FILE   waits for GO_FILE, then begin_run:
//                                                     prints "won RUN" (exit 0) or
//                                                     "refused: REASON" (exit 3)
//   records_claim_helper DB CARTRIDGE crash           begins a run and a step, prints
//                                                     "begun RUN", and exits at once (exit 9)
//   records_claim_helper DB CARTRIDGE hold GO_FILE    begins a run, prints "begun RUN", waits
//                                                     for GO_FILE and exits without finishing
//
// With RECORDS_HELPER_RECORDING=PATH in the environment, the run names PATH as its session
// recording (header time 1767600000123 ms).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "penlink/records.hpp"

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: records_claim_helper DB CARTRIDGE claim GO|crash|hold\n");
        return 2;
    }
    const std::string db = argv[1];
    const std::string mode = argv[3];
    try {
        auto log = penlink::TreatmentLog::open(db);
        penlink::RunStart start;
        start.pen_serial = "SIM-" + std::to_string(::getpid());
        start.pen_model = "penlink-sim";
        start.pen_firmware = "1.0.0";
        start.cartridge_id = argv[2];
        start.recipe_name = "race";
        start.recipe_hash = "0";
        start.device_class = "professional";
        if (const char* recording = std::getenv("RECORDS_HELPER_RECORDING"))
            start.recording = penlink::RecordingFile{recording, "", 1767600000123};
        if (mode == "claim" && argc >= 5) {
            std::printf("ready\n");
            std::fflush(stdout);
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (!std::filesystem::exists(argv[4])) {
                if (std::chrono::steady_clock::now() > deadline) return 4;
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            const auto run = log.begin_run(start);
            std::printf("won %lld\n", static_cast<long long>(run));
            std::fflush(stdout);
            log.finish_run(run, penlink::RunEnd{penlink::RunOutcome::Completed, {}, {}});
            return 0;
        }
        const auto run = log.begin_run(start);
        log.step_started(run, 0, "forehead pass", "forehead", 0.0);
        std::printf("begun %lld\n", static_cast<long long>(run));
        std::fflush(stdout);
        if (mode == "crash") std::_Exit(9);  // no finish_run, no destructors: as a crash
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (argc >= 5 && !std::filesystem::exists(argv[4]) &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return 0;
    } catch (const penlink::TreatmentLogError& error) {
        std::printf("refused: %s\n", error.what());
        std::fflush(stdout);
        return error.kind() == penlink::TreatmentLogProblem::CartridgeUsed ? 3 : 5;
    } catch (const std::exception& error) {
        std::printf("error: %s\n", error.what());
        return 6;
    }
}
