package io.penlink;

import java.nio.file.Path;

/**
 * A session recording in progress ({@link Pen#startRecording(Path)}): every frame of the pen's
 * link, both directions, into a file that {@link Recording#read(Path)} reads back.
 * {@link #close()} (or try-with-resources) stops it; so does closing the pen. Keeps its pen open
 * while it records.
 */
public final class Recorder implements AutoCloseable {
    private final Pen pen;  // the native recorder holds the pen open; this keeps the proxy too
    private final Path path;
    private NativeRecorder recorder;
    private long lastFrames;
    private long lastBytes;

    Recorder(Pen pen, Path path, NativeRecorder recorder) {
        this.pen = pen;
        this.path = path;
        this.recorder = recorder;
    }

    /** True until {@link #stop()} or {@link #close()}. */
    public synchronized boolean active() {
        return recorder != null && recorder.active();
    }

    /** The file written. */
    public Path path() {
        return path;
    }

    /** Frames recorded so far, both directions. */
    public synchronized long frames() {
        return recorder == null ? lastFrames : recorder.frames().longValue();
    }

    /** Bytes written to the file so far (bytes still buffered not yet). */
    public synchronized long bytesWritten() {
        return recorder == null ? lastBytes : recorder.bytes_written().longValue();
    }

    /**
     * Writes out what is buffered and closes the file; idempotent.
     * {@link InvalidArgumentException} naming the file if a write failed (a full disk).
     */
    public synchronized void stop() {
        if (recorder != null) {
            recorder.stop();
        }
    }

    /** The pen recorded. */
    public Pen pen() {
        return pen;
    }

    /** Stops the recording (see {@link #stop()}) and frees the native recorder; idempotent. */
    @Override
    public synchronized void close() {
        NativeRecorder native_ = recorder;
        if (native_ == null) {
            return;
        }
        try {
            native_.stop();
        } finally {
            lastFrames = native_.frames().longValue();
            lastBytes = native_.bytes_written().longValue();
            recorder = null;
            native_.delete();
        }
    }

    @Override
    public String toString() {
        return "Recorder(" + path + ", active=" + active() + ", frames=" + frames() + ")";
    }
}
