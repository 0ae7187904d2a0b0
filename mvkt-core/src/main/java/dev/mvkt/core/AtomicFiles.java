package dev.mvkt.core;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files replaced whole or not at all: the content goes to a temporary sibling, is flushed to the device, then renamed
 * over the target. A crash or a failing writer leaves the previous file (or none), never half a model, checkpoint or
 * report. mvkt's model files and checkpoints go through here, and so can an application's own outputs.
 */
public final class AtomicFiles {
    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code body}'s output to {@code target}, creating missing parent folders. Where the file system cannot
     * rename atomically, the rename still replaces the target, without that guarantee.
     *
     * @throws IOException from the body or the file system; {@code target} is then unchanged and no temporary file
     *                     is left behind
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // A dot first, so that a folder listing or a glob on the target's extension does not pick it up.
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                body.write(out);
                out.flush();
                out.getFD().sync();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #write(Path, Body)} with these bytes. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** {@link #write(Path, Body)} with this text in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }
}
