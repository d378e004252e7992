package io.penlink;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles examples/java/Quickstart.java against the binding and runs it in a fresh JVM, the
 * way a user would: the native libraries come out of the classpath resources (NativeLoader).
 */
class ExampleTest {
    @Test
    void quickstartCompilesAndRuns(@TempDir Path work) throws Exception {
        Path source = Path.of(System.getProperty("penlink.examples.dir"), "Quickstart.java");
        assertTrue(Files.isRegularFile(source), source + " exists");
        String classpath = System.getProperty("java.class.path");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-Xlint:all,-try", "-Werror", "-classpath",
                classpath, "-d", work.toString(), source.toString());
        assertEquals(0, compiled, "Quickstart.java compiles without warnings");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = work.resolve("output.txt");
        Process run = new ProcessBuilder(java.toString(), "-cp",
                work + File.pathSeparator + classpath, "Quickstart", "sim://?led=1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(60, TimeUnit.SECONDS)) {
            run.destroyForcibly();
            throw new AssertionError("Quickstart did not finish within 60 s");
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(0, run.exitValue(), String.join("\n", output));
        assertTrue(output.stream().anyMatch(l -> l.startsWith("connected to ")), output.toString());
        assertTrue(output.stream().anyMatch(l -> l.startsWith("running: ")), output.toString());
        assertTrue(output.stream().anyMatch(l -> l.startsWith("refused as expected: ")),
                output.toString());
        assertEquals("quickstart done", output.get(output.size() - 1));
    }
}
