package io.penlink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A penlink-sim process serving one simulated pen on a free TCP port of 127.0.0.1 (start) or on
 * a pseudo-terminal (startPty), the serial link a USB CDC pen gives.
 */
final class SimProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    private SimProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The executable comes from the system property penlink.sim (set by the pom). */
    static SimProcess start(String... extraArguments) throws Exception {
        return launch(new String[] {"--tcp", "0"}, extraArguments);
    }

    /** The same on a pseudo-terminal: url() is serial:///dev/pts/N. */
    static SimProcess startPty(String... extraArguments) throws Exception {
        return launch(new String[] {"--pty"}, extraArguments);
    }

    private static SimProcess launch(String[] link, String... extraArguments) throws Exception {
        String executable = System.getProperty("penlink.sim", "");
        assertTrue(!executable.isEmpty() && Files.isExecutable(Path.of(executable)),
                "penlink.sim must name the penlink-sim executable, got '" + executable + "'");
        String[] command = new String[1 + link.length + extraArguments.length];
        command[0] = executable;
        System.arraycopy(link, 0, command, 1, link.length);
        System.arraycopy(extraArguments, 0, command, 1 + link.length, extraArguments.length);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // Bounded wait for "TCP 127.0.0.1:PORT" or "PTY /dev/pts/N": a sim that never prints must
        // not hang the suite.
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        if (first != null && first.startsWith("TCP ")) {
            return new SimProcess(process, "tcp://" + first.substring(4).trim());
        }
        if (first != null && first.startsWith("PTY ")) {
            return new SimProcess(process, "serial://" + first.substring(4).trim());
        }
        process.destroyForcibly();
        throw new IllegalStateException("penlink-sim printed '" + first + "', not TCP or PTY");
    }

    String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
