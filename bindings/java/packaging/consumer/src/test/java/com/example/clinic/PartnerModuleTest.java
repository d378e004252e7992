package com.example.clinic;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.penlink.Event;
import io.penlink.EventKind;
import io.penlink.OutOfRangeException;
import io.penlink.Pen;
import io.penlink.PenModule;
import io.penlink.Status;
import io.penlink.Subscription;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partner's module, written here at test time (nothing in penlink knows it), hosted by a
 * penlink-sim process and driven through the installed artifact alone: discovery, set,
 * out-of-range refusal, atomic multi-set, telemetry and detach.
 */
class PartnerModuleTest {
    static final String CHILLER = """
            {"schema": "penlink.module/1", "key": "chiller", "name": "FrostPad 3",
             "vendor": {"id": 9001, "name": "Clinic Partner"}, "model": {"id": 3},
             "parameters": [
               {"key": "enabled", "id": 32769, "type": "bool", "default": false},
               {"key": "plate_c", "id": 32770, "type": "fixed", "unit": "degC", "scale": 0.1,
                "min": 4.0, "max": 20.0, "step": 0.5, "default": 15.0},
               {"key": "fan", "id": 32771, "type": "enum", "labels": ["low", "high"],
                "default": "low"}],
             "telemetry": [
               {"key": "plate_c", "id": 128, "unit": "degC", "scale": 0.01, "min": -10.0,
                "max": 60.0}],
             "simulation": {"telemetry": {"plate_c": {"model": "first_order",
               "source": "plate_c", "when": "enabled", "idle": 30.0, "tau_s": 0.1}}}}
            """;

    @Test
    void aModuleNoSourceKnows(@TempDir Path dir) throws Exception {
        Path descriptor = dir.resolve("frostpad.json");
        Files.writeString(descriptor, CHILLER);
        String sim = System.getenv("PENLINK_SIM");
        assertTrue(sim != null && Files.isExecutable(Path.of(sim)), "PENLINK_SIM names penlink-sim");
        // penlink-sim prints "TCP host:port", then "CONTROL host:port" for its control channel.
        Process process = new ProcessBuilder(sim, "--tcp", "0", "--control-port", "0", "--quiet",
                "--module", descriptor.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            String control = out.readLine();
            assertTrue(first != null && first.startsWith("TCP "), "penlink-sim printed: " + first);
            assertTrue(control != null && control.startsWith("CONTROL "), "then: " + control);
            CountDownLatch detached = new CountDownLatch(1);
            try (Pen pen = Pen.connect("tcp://" + first.substring(4).trim());
                 Subscription events = pen.onEvent((Event e) -> {
                     if (e.kind() == EventKind.MODULE_DETACHED) detached.countDown();
                 })) {
                List<PenModule> modules = pen.modules();
                assertEquals(1, modules.size());
                PenModule chiller = pen.module("chiller");
                assertEquals("FrostPad 3", chiller.name());
                assertEquals(9001, chiller.vendorId());
                assertEquals("degC", chiller.descriptor().parameter("plate_c").orElseThrow().unit());

                chiller.set("plate_c", 8.5);
                assertEquals(8.5, chiller.get("plate_c"));

                OutOfRangeException refused = assertThrows(OutOfRangeException.class,
                        () -> chiller.set("plate_c", 25.0));
                assertTrue(refused.getMessage().contains("chiller.plate_c"), refused.getMessage());
                assertEquals("degC", refused.unit());
                assertEquals(20.0, refused.limit());

                Map<String, Object> values = new LinkedHashMap<>();
                values.put("fan", "high");
                values.put("plate_c", 2.0);  // below the minimum: nothing of the set applies
                assertThrows(OutOfRangeException.class, () -> chiller.set(values));
                assertEquals("low", chiller.get("fan"));
                chiller.set(Map.of("fan", "high", "enabled", true));
                assertEquals("high", chiller.get("fan"));

                double plate = 30.0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < deadline && plate > 9.0) {
                    Thread.sleep(20);
                    Status status = pen.latestStatus().orElseThrow();
                    plate = chiller.telemetry(status, "plate_c").orElse(30.0);
                }
                assertEquals(8.5, plate, 0.5);

                String[] hostPort = control.substring(8).trim().split(":");
                try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                    socket.getOutputStream().write(
                            "module detach 1\n".getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                    assertTrue(detached.await(10, TimeUnit.SECONDS), "the detach event arrived");
                }
                assertFalse(pen.modules().stream().anyMatch(m -> m.key().equals("chiller")));
            }
        } finally {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
