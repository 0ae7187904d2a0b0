package dev.mvkt.spark;

import dev.mvkt.core.Student;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The students of this JVM, keyed by the SHA-256 of their file's bytes: an executor loads a model once, whatever
 * number of tasks and stages score with it, and its task threads share it (a student is thread-safe; its folded
 * network serialises forward passes on its buffers and uses every core within one). Models stay for the life of the
 * JVM: a job scores with one or two.
 */
final class ModelCache {
    private static final ConcurrentHashMap<String, Student> STUDENTS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelCache() {
    }

    /**
     * The student whose file has digest {@code sha256}, loaded from {@code bytes} (read only on the first call, so a
     * broadcast is fetched once per JVM).
     *
     * @throws UncheckedIOException if the bytes are not a student (a {@code ModelFormatException} as cause)
     */
    static Student get(String sha256, Supplier<byte[]> bytes) {
        return STUDENTS.computeIfAbsent(sha256, k -> load(bytes.get()));
    }

    /** How many models this JVM has loaded (for tests). */
    static int loads() {
        return LOADS.get();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Student load(byte[] bytes) {
        // Student.load reads a file; the bytes go to a private temporary one that is deleted straight after.
        Path tmp = null;
        try {
            tmp = Files.createTempFile("mvkt-student", ".mvkt");
            Files.write(tmp, bytes);
            Student s = Student.load(tmp);
            LOADS.incrementAndGet();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the broadcast model: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A leftover temporary file is harmless; the JVM's temp directory is cleaned by the OS.
                }
            }
        }
    }
}
