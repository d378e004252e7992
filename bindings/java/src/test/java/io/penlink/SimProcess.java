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

/** A penlink-sim process serving one simulated pen on a free TCP port of 127.0.0.1. */
final class SimProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    private SimProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The executable comes from the system property penlink.sim (set by the pom). */
    static SimProcess start(String... extraArguments) throws Exception {
        String executable = System.getProperty("penlink.sim", "");
        assertTrue(!executable.isEmpty() && Files.isExecutable(Path.of(executable)),
                "penlink.sim must name the penlink-sim executable, got '" + executable + "'");
        String[] command = new String[3 + extraArguments.length];
        command[0] = executable;
        command[1] = "--tcp";
        command[2] = "0";
        System.arraycopy(extraArguments, 0, command, 3, extraArguments.length);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // Bounded wait for "TCP 127.0.0.1:PORT": a sim that never prints must not hang the suite.
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("TCP ")) {
            process.destroyForcibly();
            throw new IllegalStateException("penlink-sim printed '" + first + "', not TCP host:port");
        }
        return new SimProcess(process, "tcp://" + first.substring(4).trim());
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
