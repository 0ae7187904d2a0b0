package dev.mvkt.spark;

import dev.mvkt.core.Student;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
     * @throws dev.mvkt.core.ModelFormatException if the bytes are not a student, or do not hash to {@code sha256}
     * @throws UncheckedIOException                if reading them fails
     */
    static Student get(String sha256, Supplier<byte[]> bytes) {
        return STUDENTS.computeIfAbsent(sha256, k -> load(k, bytes.get()));
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

    /** The bytes must hash to {@code sha256} (the key): a damaged broadcast is refused, not cached. */
    private static Student load(String sha256, byte[] bytes) {
        try {
            Student s = Student.load(new ByteArrayInputStream(bytes), sha256);
            LOADS.incrementAndGet();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the broadcast model: " + e.getMessage(), e);
        }
    }
}
