package dev.mvkt.datasets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as the format it claims to be: truncated, inconsistent with its header, failing its
 * checksum, holding NaN or an unknown format, or missing where an index says it should be.
 *
 * <p>It is an {@link IOException} because it is always about the contents of a file the caller handed in, and callers
 * that already handle I/O failure should not need a second path. The message names the file, the place in it (line
 * and field, signal, sample) and what was expected, so that a user can fix or exclude the record without a debugger.
 */
public final class EcgFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String where;

    /**
     * @param file    the offending file
     * @param where   the place in it, e.g. {@code "line 3, field scp_codes"}; may be null
     * @param problem what was found and what was expected
     */
    public EcgFormatException(Path file, String where, String problem) {
        super(file + (where == null ? "" : " (" + where + ")") + ": " + problem);
        this.file = file;
        this.where = where;
    }

    public EcgFormatException(Path file, String where, String problem, Throwable cause) {
        this(file, where, problem);
        initCause(cause);
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }

    /** The place in the file, or null when the whole file is at fault. */
    public String where() {
        return where;
    }
}
