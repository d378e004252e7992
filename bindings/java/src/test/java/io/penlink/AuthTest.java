package io.penlink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authenticated sessions (docs/protocol.md section 16): the acceptance steps over an
 * authenticated session in process and over TCP, and the distinct errors of no key and a
 * wrong key.
 */
class AuthTest {
    private static final String SERIAL = "SIM-AUTH-J";
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER = new byte[32];
    private static Path keyFile;
    private static SimProcess sim;
    private static SimProcess ptySim;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 32; ++i) {
            KEY[i] = (byte) i;
            OTHER[i] = (byte) (0xA0 + i);
        }
        keyFile = Files.createTempFile("penlink-java-auth", ".key",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, HexFormat.of().formatHex(KEY) + "\n");
        sim = SimProcess.start("--serial", SERIAL, "--key-file", keyFile.toString());
        ptySim = SimProcess.startPty("--serial", SERIAL, "--key-file", keyFile.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.close();
        }
        if (ptySim != null) {
            ptySim.close();
        }
        Files.deleteIfExists(keyFile);
    }

    static Stream<String> urls() {
        // In process, over TCP and over a pseudo-terminal (a USB CDC pen's serial link).
        return Stream.of("sim://?serial=" + SERIAL + "&key_file=" + keyFile, sim.url(),
                ptySim.url());
    }

    @ParameterizedTest
    @MethodSource("urls")
    void acceptanceScenarioRunsAuthenticated(String url) throws Exception {
        try (Pen pen = Pen.connect(url, ConnectOptions.defaults(), new PenKeys().add(SERIAL, KEY))) {
            assertTrue(pen.authenticated());
            pen.setDepthMm(1.0);
            pen.setSpeedHz(100);
            pen.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline && !pen.latestStatus()
                    .map(s -> s.state() == PenState.RUNNING).orElse(false)) {
                Thread.sleep(10);
            }
            assertEquals(PenState.RUNNING, pen.latestStatus().orElseThrow().state());
            pen.stop();
            SecurityStats stats = pen.securityStats();
            assertTrue(stats.authenticated());
            assertEquals(0, stats.forged());
            assertEquals(0, stats.replayed());
        }
    }

    @ParameterizedTest
    @MethodSource("urls")
    void missingAndWrongKeysAreDistinctErrors(String url) {
        AuthenticationException missing =
                assertThrows(AuthenticationException.class, () -> Pen.connect(url).close());
        assertEquals(ErrorCode.AUTHENTICATION_REQUIRED, missing.code());
        assertTrue(missing.getMessage().contains(SERIAL), missing.getMessage());
        AuthenticationException wrong = assertThrows(AuthenticationException.class,
                () -> Pen.connect(url, ConnectOptions.defaults(), new PenKeys().add(SERIAL, OTHER))
                        .close());
        assertEquals(ErrorCode.KEY_REJECTED, wrong.code());
        assertFalse(wrong.getMessage().contains(HexFormat.of().formatHex(OTHER)));
    }

    @Test
    void keysAreChecked() throws Exception {
        assertThrows(InvalidArgumentException.class, () -> new PenKeys().add(SERIAL, new byte[31]));
        Path readable = Files.createTempFile("penlink-java-auth-open", ".key");
        try {
            Files.writeString(readable, SERIAL + " " + HexFormat.of().formatHex(KEY) + "\n");
            Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
            InvalidArgumentException refused = assertThrows(InvalidArgumentException.class,
                    () -> Pen.connect("sim://", ConnectOptions.defaults(),
                            new PenKeys().loadFile(readable)).close());
            assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
        } finally {
            Files.deleteIfExists(readable);
        }
    }
}
