package io.penlink;

import java.nio.file.Path;

/**
 * A session recording cut short or broken after its header: {@link #path()} is the file,
 * {@link #offset()} the byte where reading stopped; the message names both. (A file that is not
 * a recording at all is a plain {@link InvalidArgumentException}, a newer format a
 * {@link NotSupportedException}.) {@link Recording#read(Path, boolean)} with
 * {@code allowTruncated} returns what came before instead.
 */
public class RecordingException extends InvalidArgumentException {
    private static final long serialVersionUID = 1L;
    private final Path path;
    private final long offset;

    public RecordingException(String message, Path path, long offset) {
        super(message);
        this.path = path;
        this.offset = offset;
    }

    /** The file read. */
    public Path path() {
        return path;
    }

    /** The byte where reading stopped. */
    public long offset() {
        return offset;
    }
}
