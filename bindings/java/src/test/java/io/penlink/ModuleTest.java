package io.penlink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Add-on modules from Java: descriptor parsing and value conversions (no pen needed), then a
 * module no penlink source knows, written here at test time, driven through
 * sim://?module=FILE. The end-to-end tests are skipped (only) while the simulator does not know
 * the module option.
 */
class ModuleTest {
    /** examples/modules/cooling_tip.json (the pom sets penlink.examples.dir to examples/java). */
    static final Path EXAMPLE = Path.of(System.getProperty("penlink.examples.dir", "examples/java"))
            .resolve("../modules/cooling_tip.json").normalize();

    /** A suction head: nothing in penlink's sources mentions it. */
    static final String SUCTION = """
            {"schema": "penlink.module/1", "key": "suction", "name": "VacuHead V2",
             "vendor": {"id": 4660, "name": "Test Vendor"}, "model": {"id": 7},
             "parameters": [
               {"key": "enabled", "id": 32769, "type": "bool", "default": false},
               {"key": "pressure_kpa", "id": 32770, "type": "fixed", "unit": "kPa",
                "scale": 0.1, "min": MIN, "max": 60.0, "step": 0.5, "default": 20.0},
               {"key": "pattern", "id": 32771, "type": "enum",
                "labels": ["steady", "pulse", "wave"], "default": "steady"},
               {"key": "runtime_s", "id": 32772, "type": "integer", "unit": "s", "min": 0,
                "max": 3600, "default": 0, "access": "read"}],
             "telemetry": [
               {"key": "vacuum_kpa", "id": 128, "unit": "kPa", "scale": 0.01, "min": 0.0,
                "max": 100.0, "alarm_high": 70.0}],
             "interlocks": [{"key": "cartridge", "condition": "cartridge_fitted",
               "guards": ["enabled"], "description": "Suction only with a cartridge fitted"}],
             "simulation": {"telemetry": {"vacuum_kpa": {"model": "first_order",
               "source": "pressure_kpa", "when": "enabled", "idle": 0.0, "tau_s": 0.2}}}}
            """;

    static String suction() {
        return SUCTION.replace("MIN", "10.0");
    }

    // --- no pen needed -----------------------------------------------------------------------

    @Test
    void parsesTheExampleDescriptor() throws Exception {
        ModuleDescriptor d = Penlink.parseModuleDescriptor(Files.readString(EXAMPLE));
        assertEquals("cooling", d.key());
        assertEquals(19233, d.vendorId());
        assertEquals(List.of("enabled", "setpoint_c", "fan", "hold_s"),
                d.parameters().stream().map(ParamSpec::key).toList());
        ParamSpec setpoint = d.parameter("setpoint_c").orElseThrow();
        assertEquals(ParamType.FIXED, setpoint.type());
        assertEquals("degC", setpoint.unit());
        assertEquals(4.0, setpoint.min());
        assertEquals(20.0, setpoint.max());
        assertEquals(0.5, setpoint.step());
        assertEquals(15.0, setpoint.defaultParam());
        ParamSpec fan = d.parameter("fan").orElseThrow();
        assertEquals(List.of("quiet", "normal", "boost"), fan.labels());
        assertEquals("normal", fan.defaultParam());
        assertEquals(Boolean.FALSE, d.parameter("enabled").orElseThrow().defaultParam());
        assertEquals(ParamAccess.READ, d.parameter("hold_s").orElseThrow().access());
        assertEquals(SafetyClass.NONE, setpoint.safety());
        TelemetrySpec plate = d.channel("plate_c").orElseThrow();
        assertTrue(plate.hasAlarmHigh());
        assertEquals(42.0, plate.alarmHigh());
        assertEquals(List.of("enabled"), d.interlocks().get(0).guards());
    }

    @Test
    void refusesAMalformedDescriptorNamingTheField() {
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> Penlink.parseModuleDescriptor(SUCTION.replace("MIN", "70.0")));
        assertTrue(error.getMessage().contains("pressure_kpa"), error.getMessage());
        assertTrue(error.getMessage().contains("min"), error.getMessage());
        assertThrows(InvalidArgumentException.class, () -> Penlink.parseModuleDescriptor("{"));
        assertThrows(InvalidArgumentException.class, () -> Penlink.parseModuleDescriptor(null));
    }

    @Test
    void paramValuesCrossAsBooleanDoubleAndString() {
        assertEquals(Boolean.TRUE, Convert.paramValue(Convert.paramValue("m.k", true)));
        assertEquals(12.5, Convert.paramValue(Convert.paramValue("m.k", 12.5)));
        assertEquals(3.0, Convert.paramValue(Convert.paramValue("m.k", 3)));
        assertEquals(2.0, Convert.paramValue(Convert.paramValue("m.k", 2.0f)));
        assertEquals("boost", Convert.paramValue(Convert.paramValue("m.k", "boost")));
        for (Object bad : new Object[] {null, List.of(1), 'x', Double.NaN}) {
            InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                    () -> Convert.paramValue("cooling.setpoint_c", bad));
            assertTrue(error.getMessage().contains("cooling.setpoint_c"), error.getMessage());
        }
    }

    @Test
    void moduleTelemetryReadsItsOwnSlotAndChannel() {
        ModuleDescriptor d = Penlink.parseModuleDescriptor(suction());
        PenModule module = new PenModule(null, 2, 4660, 7, "1.2.3", d);
        Status status = status(List.of(new TelemetryReading(1, 128, 9999),
                new TelemetryReading(2, 128, 4250)));
        assertEquals(42.5, module.telemetry(status, "vacuum_kpa").getAsDouble(), 1e-9);
        assertEquals(OptionalDouble.empty(), module.telemetry(status(List.of()), "vacuum_kpa"));
        assertFalse(module.telemetryAlarm(status, "vacuum_kpa"));
        assertTrue(module.telemetryAlarm(status(List.of(new TelemetryReading(2, 128, 7100))),
                "vacuum_kpa"));
        InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                () -> module.telemetry(status, "pressure"));
        assertTrue(error.getMessage().contains("vacuum_kpa"), error.getMessage());
        assertEquals("suction@2", module.selector());
        assertEquals(9, eventValue(EventKind.MODULE_ATTACHED));
        assertEquals(10, eventValue(EventKind.MODULE_DETACHED));
    }

    private static int eventValue(EventKind kind) {
        for (int value = 0; value < 32; value++) {
            try {
                if (EventKind.fromValue(value) == kind) {
                    return value;
                }
            } catch (IllegalArgumentException unknown) {
                // not this one
            }
        }
        return -1;
    }

    private static Status status(List<TelemetryReading> telemetry) {
        return new Status(0, 0, PenState.IDLE, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, false, 0, 0,
                false, false, 0, 0, 0, telemetry.size(), telemetry);
    }

    @Test
    void connectOptionsCarryModulePaths() {
        ConnectOptions options = ConnectOptions.defaults().withModulePaths(List.of("/a", "/b"));
        assertEquals(List.of("/a", "/b"), options.modulePaths());
        assertEquals(List.of("/a", "/b"), Convert.connectOptions(options).getModule_paths());
        assertEquals(List.of(), ConnectOptions.defaults().modulePaths());
        assertThrows(InvalidArgumentException.class,
                () -> ConnectOptions.defaults().withModulePaths(null));
    }

    // --- against a simulated pen with the suction head --------------------------------------

    private static Pen connect(Path dir) throws Exception {
        return connect(dir, "");
    }

    private static Pen connect(Path dir, String options) throws Exception {
        Path descriptor = dir.resolve("suction_head.json");
        Files.writeString(descriptor, suction());
        try {
            return Pen.connect("sim://?" + options + "module=" + descriptor);
        } catch (InvalidArgumentException error) {
            Assumptions.assumeFalse(error.getMessage().contains("module"),
                    "this simulator cannot host modules yet: " + error.getMessage());
            throw error;
        }
    }

    @Test
    void discovery(@TempDir Path dir) throws Exception {
        try (Pen pen = connect(dir)) {
            List<PenModule> modules = pen.modules();
            assertEquals(1, modules.size());
            PenModule suction = modules.get(0);
            assertEquals("suction", suction.key());
            assertEquals("VacuHead V2", suction.name());
            assertEquals(4660, suction.vendorId());
            assertEquals(7, suction.modelId());
            assertEquals("kPa", suction.descriptor().parameter("pressure_kpa").orElseThrow().unit());
            assertEquals(suction.slot(), pen.module("suction").slot());
            assertEquals(suction.slot(), pen.module(suction.selector()).slot());
            NotSupportedException error = assertThrows(NotSupportedException.class,
                    () -> pen.module("cooling"));
            assertTrue(error.getMessage().contains("suction"), error.getMessage());
        }
    }

    @Test
    void modulePathsFindADescriptorKeptOffThePen(@TempDir Path dir) throws Exception {
        Path descriptor = dir.resolve("suction_head.json");
        Files.writeString(descriptor, suction());
        String url = "sim://?module_store=0&module=" + descriptor;
        Assumptions.assumeTrue(System.getenv("PENLINK_MODULE_PATH") == null);
        NotSupportedException error = assertThrows(NotSupportedException.class,
                () -> Pen.connect(url).close());
        assertTrue(error.getMessage().contains("module path"), error.getMessage());
        ConnectOptions options = ConnectOptions.defaults().withModulePaths(List.of(dir.toString()));
        try (Pen pen = Pen.connect(url, options)) {
            assertEquals("suction", pen.modules().get(0).key());
        }
    }

    @Test
    void setAndGet(@TempDir Path dir) throws Exception {
        try (Pen pen = connect(dir)) {
            PenModule suction = pen.module("suction");
            assertEquals(20.0, suction.get("pressure_kpa"));
            assertEquals("steady", suction.get("pattern"));
            assertEquals(Boolean.FALSE, suction.get("enabled"));
            suction.set("pressure_kpa", 35.5);
            assertEquals(35.5, suction.get("pressure_kpa"));
            pen.setParam("suction", "pattern", "wave");
            assertEquals("wave", pen.getParam("suction", "pattern"));
            Map<String, Object> all = suction.getAll();
            assertEquals(List.of("enabled", "pressure_kpa", "pattern", "runtime_s"),
                    List.copyOf(all.keySet()));
            assertEquals("wave", all.get("pattern"));
        }
    }

    @Test
    void outOfRangeNamesTheKeyAndTheUnit(@TempDir Path dir) throws Exception {
        try (Pen pen = connect(dir)) {
            PenModule suction = pen.module("suction");
            OutOfRangeException error = assertThrows(OutOfRangeException.class,
                    () -> suction.set("pressure_kpa", 80));
            assertTrue(error.getMessage().contains("suction.pressure_kpa"), error.getMessage());
            assertTrue(error.getMessage().contains("kPa"), error.getMessage());
            assertEquals(80.0, error.value());
            assertEquals(60.0, error.limit());
            assertEquals("kPa", error.unit());
            InvalidArgumentException label = assertThrows(InvalidArgumentException.class,
                    () -> suction.set("pattern", "vortex"));
            assertTrue(label.getMessage().contains("suction.pattern"), label.getMessage());
            assertThrows(InvalidArgumentException.class, () -> suction.set("enabled", "yes"));
            PenException readOnly = assertThrows(PenException.class,
                    () -> suction.set("runtime_s", 5));
            assertTrue(readOnly.getMessage().contains("runtime_s"), readOnly.getMessage());
            assertEquals(20.0, suction.get("pressure_kpa"));
        }
    }

    @Test
    void multiSetIsAtomic(@TempDir Path dir) throws Exception {
        try (Pen pen = connect(dir)) {
            PenModule suction = pen.module("suction");
            suction.set(Map.of("pattern", "pulse", "pressure_kpa", 30));
            assertEquals("pulse", suction.get("pattern"));
            assertEquals(30.0, suction.get("pressure_kpa"));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("pattern", "wave");  // good, first
            values.put("pressure_kpa", 99);  // bad, second
            OutOfRangeException error = assertThrows(OutOfRangeException.class,
                    () -> pen.setParams("suction", values));
            assertTrue(error.getMessage().contains("suction.pressure_kpa"), error.getMessage());
            assertEquals("pulse", suction.get("pattern"));
        }
    }

    @Test
    void aRefusalByThePenAppliesNothingEither(@TempDir Path dir) throws Exception {
        // Without a cartridge the pen's interlock refuses enabled=true: the whole request goes.
        try (Pen pen = connect(dir, "cartridge_id=0&")) {
            PenModule suction = pen.module("suction");
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("pattern", "wave");
            values.put("enabled", true);
            RejectedException error = assertThrows(RejectedException.class, () -> suction.set(values));
            assertTrue(error.getMessage().contains("suction.enabled"), error.getMessage());
            assertTrue(error.getMessage().contains("cartridge"), error.getMessage());
            assertEquals("steady", suction.get("pattern"));
        }
    }

    @Test
    void everyBadValueIsAPenExceptionNamingTheParameter(@TempDir Path dir) throws Exception {
        Object[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e308,
                -1e308, Long.MAX_VALUE, -1, "1", null, new byte[] {1}, List.of(1), 1.5, 7, "yes",
                true, new Object()};
        try (Pen pen = connect(dir)) {
            PenModule suction = pen.module("suction");
            Map<String, Object> before = suction.getAll();
            List<String> escaped = new java.util.ArrayList<>();
            for (String key : List.of("enabled", "pressure_kpa", "pattern", "runtime_s")) {
                for (Object value : bad) {
                    if (key.equals("enabled") && Boolean.TRUE.equals(value)) {
                        continue;  // a fine value
                    }
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("pattern", "wave");
                    values.put(key, value);
                    List<Runnable> setters = List.of(
                            () -> suction.set(key, value),
                            () -> suction.set(values),
                            () -> pen.setParam("suction", key, value),
                            () -> suction.setAsync(values).join());
                    for (Runnable setter : setters) {
                        try {
                            setter.run();
                            escaped.add(key + "=" + value + ": accepted");
                        } catch (PenException error) {
                            if (!error.getMessage().contains("suction." + key)) {
                                escaped.add(key + "=" + value + ": " + error.getMessage());
                            }
                        } catch (CompletionException error) {
                            if (!(error.getCause() instanceof PenException)
                                    || !error.getCause().getMessage().contains("suction." + key)) {
                                escaped.add(key + "=" + value + ": " + error.getCause());
                            }
                        } catch (RuntimeException error) {
                            escaped.add(key + "=" + value + ": " + error);
                        }
                    }
                }
            }
            assertEquals(List.of(), escaped);
            assertEquals(before, suction.getAll());
            assertThrows(InvalidArgumentException.class, () -> pen.setParams("suction", null));
            assertThrows(InvalidArgumentException.class, () -> pen.getParam("suction", null));
            assertThrows(InvalidArgumentException.class, () -> pen.getParam(null, "pattern"));
            assertInstanceOf(InvalidArgumentException.class, assertThrows(
                    CompletionException.class, () -> pen.setParamsAsync(null, Map.of()).join())
                    .getCause());
        }
    }

    @Test
    void aModuleKeepsItsPenReachable(@TempDir Path dir) throws Exception {
        PenModule suction = connect(dir).module("suction");  // the Pen itself is dropped
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        suction.set("pattern", "wave");
        assertEquals("wave", suction.get("pattern"));
        suction.pen().close();
        assertThrows(ConnectionException.class, () -> suction.get("pattern"));
    }

    @Test
    void asyncMultiSet(@TempDir Path dir) throws Exception {
        try (Pen pen = connect(dir)) {
            PenModule suction = pen.module("suction");
            suction.setAsync(Map.of("pattern", "wave", "pressure_kpa", 40.5))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(40.5, suction.get("pressure_kpa"));
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> pen.setParamsAsync("suction", Map.of("pressure_kpa", 61)).join());
            assertInstanceOf(OutOfRangeException.class, refused.getCause());
            CompletionException bad = assertThrows(CompletionException.class,
                    () -> pen.setParamsAsync("suction", Map.of("pressure_kpa", List.of())).join());
            assertInstanceOf(InvalidArgumentException.class, bad.getCause());
        }
    }

    @Test
    void telemetryInStatus(@TempDir Path dir) throws Exception {
        try (Pen pen = connect(dir)) {
            PenModule suction = pen.module("suction");
            suction.set(Map.of("enabled", true, "pressure_kpa", 30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            double vacuum = 0;
            while (System.nanoTime() < deadline && vacuum < 25.0) {
                Thread.sleep(20);
                vacuum = pen.latestStatus()
                        .map(s -> suction.telemetry(s, "vacuum_kpa").orElse(0))
                        .orElse(0.0);
            }
            assertEquals(30.0, vacuum, 5.0);
            Status status = pen.latestStatus().orElseThrow();
            assertEquals(status.telemetryCount(), status.telemetry().size());
            assertTrue(status.telemetryCount() >= 1);
        }
    }
}
