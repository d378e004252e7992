package io.penlink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session recordings and the treatment log from Java, against real pens (penlink-sim over TCP
 * with RF as a descriptor module, and sim://), real recording files and a real SQLite log: the
 * runner writes its run into the log and TreatmentLog reads it back with its steps, module
 * totals and the cartridge ledger; a used cartridge is refused and an override is stored; a
 * session recorded during the run reads back decoded; damaged files and logs are typed errors
 * naming the file (and the byte).
 */
class RecordsTest {
    /** Two RF steps of 0.6 s each on the jawline and the cheeks. */
    static final String RF_RECIPE = """
            {"schema": "penlink.recipe/1", "name": "short rf", "concern": "laxity",
             "steps": [
              {"name": "Jawline", "zone": "jawline", "depth_mm": 1.0, "speed_hz": 100,
               "duration_s": 0.6,
               "modules": {"rf": {"enabled": true, "polarity": "bipolar", "frequency": 1000,
                                  "power": 8, "pulse": 100}}},
              {"name": "Cheeks", "zone": "cheek", "depth_mm": 0.5, "speed_hz": 80,
               "duration_s": 0.6, "modules": {"rf": {"enabled": true, "power": 10}}}]}""";

    static final String ONE_STEP = """
            {"schema": "penlink.recipe/1", "name": "one step",
             "steps": [{"name": "Forehead", "zone": "forehead", "depth_mm": 0.5,
                        "speed_hz": 100, "duration_s": 0.6}]}""";

    static final Path RF_MODULE = Path.of(System.getProperty("penlink.examples.dir",
            "examples/java")).resolve("../../modules/rf.json").normalize();

    @TempDir
    static Path dir;
    static SimProcess sim;
    static Path recording;
    static Path database;
    static RunResult result;
    static long runId;

    /** RF_RECIPE run once on penlink-sim with the session recorded and the run logged. */
    @BeforeAll
    static void runTheRecipeOnce() throws Exception {
        sim = SimProcess.start("--no-rf", "--module", RF_MODULE.toString());
        recording = dir.resolve("session.plrec");
        database = dir.resolve("clinic.db");
        TreatmentOptions options = TreatmentOptions.defaults().withRecordDb(database)
                .withClientReference("c-7f3a");
        try (Pen pen = Pen.connect(sim.url(), ConnectOptions.defaults().withRecordPath(recording));
             Runner runner = new Runner(pen, Recipe.parse(RF_RECIPE), options, null)) {
            assertEquals(OptionalLong.empty(), runner.runId(), "no run id before the start");
            runner.start();
            result = runner.waitFor(Duration.ofSeconds(30));
            runId = runner.runId().orElseThrow();
        }
    }

    @AfterAll
    static void stopTheSim() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void theRunnerWritesTheRunAndTheLogReadsItBack() {
        assertEquals(RunOutcome.COMPLETED, result.outcome(), result.reason());
        assertTrue(runId > 0);
        try (TreatmentLog log = TreatmentLog.open(database)) {
            assertEquals(database, log.path());
            List<LoggedRun> runs = log.recentRuns();
            assertEquals(List.of(runId), runs.stream().map(LoggedRun::id).toList());
            LoggedRun run = runs.get(0);
            assertEquals(RecordOutcome.COMPLETED, run.outcome());
            assertTrue(run.failingStep().isEmpty());
            assertEquals("short rf", run.recipeName());
            assertEquals("c-7f3a", run.clientReference());
            assertEquals("professional", run.deviceClass());
            assertEquals(2, run.steps());
            assertEquals("", run.reason());
            assertEquals("", run.cartridgeOverrideReason());
            assertFalse(run.penSerial().isEmpty());
            assertFalse(run.endedUtc().isEmpty());
            assertFalse(run.cartridgeId().isEmpty() || run.cartridgeId().equals("0"));
            assertTrue(run.recipeHash().matches("[0-9a-f]{64}"), run.recipeHash());
            // The pen was recording: the log names the file, whole and as the app named it.
            assertEquals(recording.toString(), run.recordingPath());
            assertEquals(recording.toAbsolutePath().toString(), run.recordingAbsolutePath());
            assertTrue(run.recordingStartedUnixMs() > 1_600_000_000_000L,
                    "recording start " + run.recordingStartedUnixMs());

            RunReport report = log.report(runId);
            assertEquals(run, report.run());
            assertEquals(List.of("Jawline", "Cheeks"),
                    report.steps().stream().map(StepTotals::name).toList());
            for (int i = 0; i < 2; i++) {
                StepTotals logged = report.steps().get(i);
                StepTotals reported = result.steps().get(i);
                assertTrue(reported.rfEnergyJ() > 0, reported.toString());
                assertEquals(reported.rfEnergyJ(), logged.rfEnergyJ(), 1e-9);
                assertEquals(reported.strokes(), logged.strokes());
                assertEquals("completed", logged.outcome());
                assertEquals(reported.rfEnergyJ(), logged.moduleTotals().get("rf.energy"), 1e-9);
            }
            assertEquals(0.5, report.steps().get(1).depthSetMaxMm(), 1e-9);
            assertThrows(UnsupportedOperationException.class, () -> report.steps().clear());

            List<CartridgeUse> ledger = log.cartridgeLedger();
            assertEquals(1, ledger.size());
            assertEquals(run.cartridgeId(), ledger.get(0).cartridgeId());
            assertEquals(runId, ledger.get(0).runId());
            assertEquals(RecordOutcome.COMPLETED, ledger.get(0).outcome());
            assertEquals(run.penSerial(), ledger.get(0).penSerial());
            assertEquals(ledger, log.cartridgeUses(run.cartridgeId()));
            assertEquals(List.of(), log.cartridgeUses("999999"));
            assertEquals(List.of(), log.interruptedAtOpen());
        }
    }

    @Test
    void aUsedCartridgeIsRefusedAndAnOverrideIsStored() throws Exception {
        // A copy of the log, so this test does not change what the others read.
        Path copy = Files.copy(database, dir.resolve("reuse.db"),
                StandardCopyOption.REPLACE_EXISTING);
        String cartridge;
        try (TreatmentLog log = TreatmentLog.open(copy)) {
            cartridge = log.recentRuns(1).get(0).cartridgeId();
        }
        Recipe recipe = Recipe.parse(RF_RECIPE);
        TreatmentOptions options = TreatmentOptions.defaults().withRecordDb(copy);
        long reusedId;
        try (Pen pen = Pen.connect(sim.url())) {
            try (Runner refused = new Runner(pen, recipe, options, null)) {
                refused.start();
                RunResult outcome = refused.waitFor(Duration.ofSeconds(30));
                assertEquals(RunOutcome.FAILED, outcome.outcome());
                assertTrue(outcome.reason().contains("cartridge " + cartridge)
                        && outcome.reason().contains("already used"), outcome.reason());
                assertTrue(outcome.reason().contains("run " + runId), outcome.reason());
                assertEquals(List.of(), outcome.steps(), "nothing ran");
                assertEquals(OptionalLong.empty(), refused.runId());
            }
            try (Runner reused = new Runner(pen, recipe, options
                    .withCartridgeOverrideReason("test: same simulated cartridge"), null)) {
                reused.start();
                RunResult outcome = reused.waitFor(Duration.ofSeconds(30));
                assertEquals(RunOutcome.COMPLETED, outcome.outcome(), outcome.reason());
                reusedId = reused.runId().orElseThrow();
            }
        }
        try (TreatmentLog log = TreatmentLog.open(copy)) {
            LoggedRun newest = log.recentRuns(1).get(0);
            assertEquals(reusedId, newest.id());
            assertTrue(newest.id() > runId);
            assertEquals("test: same simulated cartridge", newest.cartridgeOverrideReason());
            assertEquals(cartridge, newest.cartridgeId());
            List<CartridgeUse> uses = log.cartridgeUses(cartridge);
            assertEquals(List.of(reusedId, runId), uses.stream().map(CartridgeUse::runId).toList());
            assertEquals("test: same simulated cartridge", uses.get(0).overrideReason());
            assertEquals("", uses.get(1).overrideReason());
        }
    }

    @Test
    void theSessionRecordedDuringTheRunReadsBackDecoded() {
        Recording r = Recording.read(recording);
        assertEquals(recording, r.path());
        assertTrue(r.description().contains(sim.url().replace("tcp://", "")), r.description());
        assertEquals("", r.warning());
        assertEquals(0, r.warningOffset());
        assertTrue(r.startedUnixMs() > 1_600_000_000_000L);
        List<RecordedStatus> statuses = r.statuses();
        assertTrue(statuses.size() > 5, "statuses: " + statuses.size());
        double previous = 0;
        for (RecordedStatus s : statuses) {
            assertTrue(s.timeS() >= previous, "time goes forward");
            previous = s.timeS();
        }
        assertTrue(previous <= r.durationS() + 1e-9);
        assertTrue(statuses.get(statuses.size() - 1).timeS() > statuses.get(0).timeS());
        assertInstanceOf(PenState.class, statuses.get(0).status().state());
        assertTrue(statuses.stream().anyMatch(s -> s.status().depthActualMm() > 0.99));
        // The same frames, counted the same way: what the run delivered.
        double delivered = result.steps().stream().mapToDouble(StepTotals::rfEnergyJ).sum();
        assertTrue(delivered > 0);
        assertEquals(delivered, statuses.get(statuses.size() - 1).rfEnergyJ(), delivered * 0.02);

        List<String> texts = r.commands().stream().map(RecordedCommand::text).toList();
        assertEquals("Hello", texts.get(0));
        assertTrue(texts.contains("SetDepth 1.000 mm") && texts.contains("SetDepth 0.500 mm"),
                texts.toString());
        assertEquals(2, r.commands().stream().filter(c -> c.type().equals("Start")).count());
        assertFalse(r.commands().stream().anyMatch(c -> c.type().equals("Heartbeat")));

        TelemetryChannel energy = r.channels().stream()
                .filter(c -> c.module().equals("rf") && c.key().equals("energy"))
                .findFirst().orElseThrow();
        assertEquals("J", energy.unit());
        List<TelemetrySample> samples = r.telemetry("rf", "energy");
        assertFalse(samples.isEmpty());
        for (int i = 1; i < samples.size(); i++) {
            assertTrue(samples.get(i).value() >= samples.get(i - 1).value(), "energy only grows");
        }
        InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class,
                () -> r.telemetry("rf", "nothing"));
        assertTrue(unknown.getMessage().contains("no telemetry channel rf.nothing"),
                unknown.getMessage());
    }

    @Test
    void aRecordingStartedDuringARunHoldsWhatCameAfter() throws Exception {
        Path path = dir.resolve("later.plrec");
        try (Pen pen = Pen.connect("sim://")) {
            try (Recorder recorder = pen.startRecording(path);
                 Runner runner = new Runner(pen, Recipe.parse(ONE_STEP),
                         TreatmentOptions.defaults(), null)) {
                assertTrue(recorder.active());
                assertEquals(path, recorder.path());
                InvalidArgumentException twice = assertThrows(InvalidArgumentException.class,
                        () -> pen.startRecording(dir.resolve("second.plrec")));
                assertTrue(twice.getMessage().contains("already recording to '" + path + "'"),
                        twice.getMessage());
                runner.start();
                assertEquals(RunOutcome.COMPLETED,
                        runner.waitFor(Duration.ofSeconds(30)).outcome());
                assertTrue(recorder.frames() > 0);
                recorder.stop();
                assertFalse(recorder.active());
                recorder.stop();  // idempotent
                assertTrue(recorder.bytesWritten() > 0);
            }
        }
        Recording r = Recording.read(path);
        List<String> texts = r.commands().stream().map(RecordedCommand::text).toList();
        assertFalse(texts.isEmpty());
        assertTrue(!texts.get(0).equals("Hello"), "no handshake in a mid-session recording");
        assertTrue(texts.contains("SetDepth 0.500 mm"), texts.toString());
        assertTrue(texts.contains("Start") && texts.contains("Stop"), texts.toString());
        assertTrue(r.statuses().size() > 5, "statuses: " + r.statuses().size());
        assertTrue(r.statuses().get(r.statuses().size() - 1).timeS()
                > r.statuses().get(0).timeS());
        assertTrue(r.statuses().stream().anyMatch(s -> s.status().state() == PenState.RUNNING));
    }

    @Test
    void aTruncatedRecordingNamesTheFileAndTheByte() throws Exception {
        byte[] data = Files.readAllBytes(recording);
        Path cut = dir.resolve("cut.plrec");
        Files.write(cut, java.util.Arrays.copyOf(data, data.length - 5));
        RecordingException error = assertThrows(RecordingException.class,
                () -> Recording.read(cut));
        assertInstanceOf(InvalidArgumentException.class, error);
        assertEquals(ErrorCode.INVALID_ARGUMENT, error.code());
        assertEquals(cut, error.path());
        assertTrue(error.offset() > 0 && error.offset() < data.length - 5, "" + error.offset());
        assertTrue(error.getMessage().contains(cut.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("byte " + error.offset()), error.getMessage());
        assertTrue(error.getMessage().contains("cut short"), error.getMessage());
        Recording partial = Recording.read(cut, true);
        assertFalse(partial.warning().isEmpty());
        assertEquals(error.offset(), partial.warningOffset());
        int whole = Recording.read(recording).statuses().size();
        assertTrue(partial.statuses().size() > 0 && partial.statuses().size() <= whole);
    }

    @Test
    void aBrokenRecordAForeignFileAndAMissingOneAreRefused() throws Exception {
        byte[] data = Files.readAllBytes(recording);
        int headerSize = (data[10] & 0xff) | ((data[11] & 0xff) << 8);
        data[headerSize] = 7;  // a direction that is neither 1 nor 2
        Path broken = dir.resolve("broken.plrec");
        Files.write(broken, data);
        RecordingException error = assertThrows(RecordingException.class,
                () -> Recording.read(broken));
        assertEquals(headerSize, error.offset());
        assertTrue(error.getMessage().contains("byte " + headerSize), error.getMessage());

        Path foreign = dir.resolve("notes.txt");
        Files.writeString(foreign, "not a recording");
        InvalidArgumentException notOne = assertThrows(InvalidArgumentException.class,
                () -> Recording.read(foreign));
        assertFalse(notOne instanceof RecordingException);
        assertTrue(notOne.getMessage().contains("notes.txt")
                && notOne.getMessage().contains("PLREC"), notOne.getMessage());

        InvalidArgumentException missing = assertThrows(InvalidArgumentException.class,
                () -> Recording.read(dir.resolve("missing.plrec")));
        assertTrue(missing.getMessage().contains("missing.plrec"), missing.getMessage());
    }

    @Test
    void treatmentLogErrorsAreTypedAndNameTheFile() throws Exception {
        Path missing = dir.resolve("none.db");
        TreatmentLogException absent = assertThrows(TreatmentLogException.class,
                () -> TreatmentLog.open(missing));
        assertEquals(TreatmentLogProblem.STORAGE, absent.problem());
        assertEquals(ErrorCode.CONNECTION_FAILED, absent.code());
        assertTrue(absent.getMessage().contains(missing.toString()), absent.getMessage());
        assertFalse(Files.exists(missing), "open without create makes no file");

        Path corrupt = dir.resolve("corrupt.db");
        Files.write(corrupt, "this is not a database".repeat(100).getBytes());
        TreatmentLogException garbage = assertThrows(TreatmentLogException.class,
                () -> TreatmentLog.open(corrupt));
        assertEquals(TreatmentLogProblem.NOT_A_TREATMENT_LOG, garbage.problem());
        assertEquals(ErrorCode.INVALID_ARGUMENT, garbage.code());
        assertTrue(garbage.getMessage().contains(corrupt.toString()), garbage.getMessage());

        // A runner given the corrupt file as its log refuses before anything is sent.
        try (Pen pen = Pen.connect("sim://")) {
            TreatmentLogException refused = assertThrows(TreatmentLogException.class,
                    () -> new Runner(pen, Recipe.parse(ONE_STEP),
                            TreatmentOptions.defaults().withRecordDb(corrupt), null));
            assertEquals(TreatmentLogProblem.NOT_A_TREATMENT_LOG, refused.problem());
            assertTrue(refused.getMessage().contains(corrupt.toString()), refused.getMessage());
            InvalidArgumentException noLog = assertThrows(InvalidArgumentException.class,
                    () -> new Runner(pen, Recipe.parse(ONE_STEP),
                            TreatmentOptions.defaults().withClientReference("c-1"), null));
            assertTrue(noLog.getMessage().contains("withRecordDb"), noLog.getMessage());
        }

        TreatmentLog log = TreatmentLog.open(dir.resolve("new.db"), true);
        assertEquals(List.of(), log.recentRuns());
        assertEquals(List.of(), log.cartridgeLedger());
        TreatmentLogException unknown = assertThrows(TreatmentLogException.class,
                () -> log.report(42));
        assertEquals(TreatmentLogProblem.UNKNOWN_RUN, unknown.problem());
        assertTrue(unknown.getMessage().contains("run 42"), unknown.getMessage());
        OutOfRangeException limit = assertThrows(OutOfRangeException.class,
                () -> log.recentRuns(0));
        assertTrue(limit.getMessage().contains("limit 0"), limit.getMessage());
        assertEquals(0, limit.value(), 0);
        OutOfRangeException negative = assertThrows(OutOfRangeException.class,
                () -> TreatmentLog.open(dir.resolve("new.db"), false, Duration.ofMillis(-1)));
        assertTrue(negative.getMessage().contains("busy timeout -1.0 ms"), negative.getMessage());
        OutOfRangeException forever = assertThrows(OutOfRangeException.class,
                () -> TreatmentLog.open(dir.resolve("new.db"), false,
                        Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Integer.MAX_VALUE, forever.limit(), 0);
        assertEquals("ms", forever.unit());
        log.close();
        log.close();  // idempotent
        InvalidArgumentException closed = assertThrows(InvalidArgumentException.class,
                log::recentRuns);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertTrue(TreatmentLog.schemaVersion() >= 1);
    }

    @Test
    void theOutcomeNamesAreTheLogsOwn() {
        // One source of truth: penlink::to_string(RunOutcome), in the C++ enum's order.
        RecordOutcome[] outcomes = RecordOutcome.values();
        for (int i = 0; i < outcomes.length; i++) {
            assertEquals(PenlinkNative.run_outcome_text(i), outcomes[i].text());
        }
        OutOfRangeException past = assertThrows(OutOfRangeException.class,
                () -> PenlinkNative.run_outcome_text(outcomes.length));
        assertTrue(past.getMessage().contains("run outcome " + outcomes.length),
                past.getMessage());
    }

    @Test
    void recordOptionsAreRefusedWhenNull() {
        TreatmentOptions defaults = TreatmentOptions.defaults();
        assertEquals(Optional.empty(), defaults.recordDb());
        assertEquals("", defaults.clientReference());
        assertThrows(InvalidArgumentException.class, () -> defaults.withRecordDb(null));
        assertThrows(InvalidArgumentException.class, () -> defaults.withClientReference(null));
        assertThrows(InvalidArgumentException.class,
                () -> defaults.withCartridgeOverrideReason(null));
        assertThrows(InvalidArgumentException.class, () -> Recording.read(null));
        assertThrows(InvalidArgumentException.class, () -> TreatmentLog.open(null));
        Path db = Path.of("x.db");
        TreatmentOptions logged = defaults.withRecordDb(db).withClientReference("c-2")
                .withCartridgeOverrideReason("why").withDeviceClass(DeviceClass.AT_HOME);
        assertEquals(Optional.of(db), logged.recordDb());
        assertEquals("c-2", logged.clientReference());
        assertEquals("why", logged.cartridgeOverrideReason());
        assertEquals(DeviceClass.AT_HOME, logged.deviceClass());
    }
}
