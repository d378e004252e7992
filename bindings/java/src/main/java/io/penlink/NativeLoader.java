package io.penlink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Loads the JNI library. The jar carries libpenlink and libpenlink_java under
 * /io/penlink/native/linux-x86_64; they are extracted together into one private temporary
 * directory (libpenlink_java finds libpenlink there through its RPATH $ORIGIN) and loaded
 * with System.load. Setting the system property penlink.library.path to a directory loads
 * from there instead (used when developing against a build tree).
 */
final class NativeLoader {
    private static final String RESOURCE_DIR = "/io/penlink/native/linux-x86_64/";
    /** libpenlink first, so the dynamic linker already has it when the JNI library needs it. */
    private static final String[] LIBRARIES = {"libpenlink.so.1", "libpenlink_java.so"};
    private static boolean loaded;

    private NativeLoader() {}

    static synchronized void load() {
        if (loaded) {
            return;
        }
        String override = System.getProperty("penlink.library.path");
        Path directory = override != null ? Path.of(override) : extract();
        try {
            for (String library : LIBRARIES) {
                System.load(directory.resolve(library).toAbsolutePath().toString());
            }
        } finally {
            // Once mapped, the files are no longer needed (Linux keeps them until unmapped), so
            // nothing is left in the temp directory even if the JVM is killed.
            if (override == null) {
                deleteTree(directory);
            }
        }
        loaded = true;
    }

    private static Path extract() {
        try {
            Path directory = Files.createTempDirectory("penlink-native-");
            for (String library : LIBRARIES) {
                try (InputStream in = NativeLoader.class.getResourceAsStream(RESOURCE_DIR + library)) {
                    if (in == null) {
                        throw new UnsatisfiedLinkError("penlink: " + RESOURCE_DIR + library
                                + " is missing from the jar; was it built with the JNI library?");
                    }
                    Files.copy(in, directory.resolve(library), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return directory;
        } catch (IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                    "penlink: cannot extract the native library: " + e.getMessage());
            error.initCause(e);
            throw error;
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
