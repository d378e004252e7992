package io.penlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clinic's own zone chart and another at-home depth cap through {@link TreatmentOptions}, as
 * Python's zone_chart and at_home_depth_cap_mm: both change what validation and the runner
 * allow, and a bad chart is refused naming the file and the field.
 */
class TreatmentOptionsTest {
    @TempDir
    Path dir;

    static String recipe(String zone, double depthMm) {
        return "{\"schema\": \"penlink.recipe/1\", \"name\": \"opts\", \"steps\": [{\"name\": "
                + "\"S\", \"zone\": \"" + zone + "\", \"depth_mm\": " + depthMm
                + ", \"speed_hz\": 100, \"duration_s\": 0.5}]}";
    }

    Path chart(String name, String zones) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, "{\"schema\": \"penlink.zones/1\", \"name\": \"clinic\", "
                + "\"zones\": [" + zones + "]}");
        return path;
    }

    @Test
    void theDefaultsAreTheSdks() {
        TreatmentOptions defaults = TreatmentOptions.defaults();
        assertEquals(DeviceClass.PROFESSIONAL, defaults.deviceClass());
        assertTrue(defaults.zoneChart().isEmpty());
        assertEquals(0.25, defaults.atHomeDepthCapMm(), 1e-12);
        assertThrows(InvalidArgumentException.class,
                () -> new TreatmentOptions(null, Optional.empty(), 0.25));
        assertThrows(InvalidArgumentException.class, () -> defaults.withZoneChart(null));
    }

    @Test
    void aClinicChartReplacesTheStandardOne() throws IOException {
        Recipe cheek = Recipe.parse(recipe("cheek", 1.0));
        assertTrue(cheek.validate(TreatmentOptions.defaults()).ok());
        Path clinic = chart("clinic.json",
                "{\"key\": \"cheek\", \"name\": \"Cheek\", \"depth_min_mm\": 0.5, "
                        + "\"depth_max_mm\": 0.8}");
        ValidationReport report =
                cheek.validate(TreatmentOptions.defaults().withZoneChart(clinic));
        assertEquals(1, report.violations().size(), report.text());
        Violation depth = report.violations().get(0);
        assertEquals("steps[0].depth_mm", depth.field());
        assertEquals(0.8, Double.parseDouble(depth.limit()), 1e-9);
        // A zone the clinic's chart does not have is refused as unknown.
        ValidationReport forehead = Recipe.parse(recipe("forehead", 0.3))
                .validate(TreatmentOptions.defaults().withZoneChart(clinic));
        assertEquals("steps[0].zone", forehead.violations().get(0).field());
    }

    @Test
    void anotherAtHomeCapMovesTheLimit() {
        Recipe forehead = Recipe.parse(recipe("forehead", 0.4));
        TreatmentOptions atHome = TreatmentOptions.defaults().withDeviceClass(DeviceClass.AT_HOME);
        ValidationReport capped = forehead.validate(atHome);
        assertFalse(capped.ok());
        assertEquals(0.25, Double.parseDouble(capped.violations().get(0).limit()), 1e-9);
        assertTrue(forehead.validate(atHome.withAtHomeDepthCapMm(0.45)).ok());
        ValidationReport lower = forehead.validate(atHome.withAtHomeDepthCapMm(0.3));
        assertEquals(0.3, Double.parseDouble(lower.violations().get(0).limit()), 1e-9);
        InvalidArgumentException negative = assertThrows(InvalidArgumentException.class,
                () -> forehead.validate(atHome.withAtHomeDepthCapMm(-1)));
        assertTrue(negative.getMessage().contains("at-home depth cap -1 mm"),
                negative.getMessage());
    }

    @Test
    void aBadChartIsRefusedNamingTheFileAndTheField() throws IOException {
        Recipe cheek = Recipe.parse(recipe("cheek", 1.0));
        Path inverted = chart("inverted.json",
                "{\"key\": \"cheek\", \"name\": \"Cheek\", \"depth_min_mm\": 0.9, "
                        + "\"depth_max_mm\": 0.5}");
        InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
                () -> cheek.validate(TreatmentOptions.defaults().withZoneChart(inverted)));
        assertTrue(bad.getMessage().contains("inverted.json"), bad.getMessage());
        assertTrue(bad.getMessage().contains("zones[0].depth_min_mm"), bad.getMessage());
        Path missing = dir.resolve("missing.json");
        InvalidArgumentException absent = assertThrows(InvalidArgumentException.class,
                () -> cheek.validate(TreatmentOptions.defaults().withZoneChart(missing)));
        assertTrue(absent.getMessage().contains("missing.json"), absent.getMessage());
        try (Pen pen = Pen.connect("sim://")) {
            InvalidArgumentException runner = assertThrows(InvalidArgumentException.class,
                    () -> new Runner(pen, cheek,
                            TreatmentOptions.defaults().withZoneChart(inverted), null));
            assertTrue(runner.getMessage().contains("zones[0].depth_min_mm"),
                    runner.getMessage());
        }
    }

    @Test
    void theRunnerRunsUnderTheClinicsChartAndCap() throws IOException {
        Path clinic = chart("clinic.json",
                "{\"key\": \"cheek\", \"name\": \"Cheek\", \"depth_min_mm\": 0.2, "
                        + "\"depth_max_mm\": 0.8}");
        try (Pen pen = Pen.connect("sim://")) {
            // 1.0 mm on the cheek: fine by the standard chart, over this clinic's 0.8 mm.
            try (Runner refused = new Runner(pen, Recipe.parse(recipe("cheek", 1.0)),
                    TreatmentOptions.defaults().withZoneChart(clinic), null)) {
                InvalidArgumentException error = assertThrows(InvalidArgumentException.class,
                        refused::start);
                assertTrue(error.getMessage().contains("0.8 mm"), error.getMessage());
            }
            // At home with a 0.5 mm cap, 0.4 mm on the cheek runs to its end.
            TreatmentOptions atHome = TreatmentOptions.defaults().withZoneChart(clinic)
                    .withDeviceClass(DeviceClass.AT_HOME).withAtHomeDepthCapMm(0.5);
            try (Runner runner = new Runner(pen, Recipe.parse(recipe("cheek", 0.4)), atHome,
                    null)) {
                runner.start();
                RunResult result = runner.waitFor(Duration.ofSeconds(30));
                assertEquals(RunOutcome.COMPLETED, result.outcome(), result.reason());
                assertTrue(result.steps().get(0).depthSetMaxMm() <= 0.4 + 1e-9);
            }
        }
    }
}
