package dev.mvkt.core;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 2: models load from a path, a URL (a classpath resource in a jar) or a stream, with the same checks,
 * optionally pinned to the SHA-256 of the whole file (what {@code sha256sum} prints).
 */
class ModelLoadSourcesTest {
    @TempDir
    static Path shared;
    private static Path student;
    private static Path teacher;
    private static String studentSha;
    private static double[] reference;

    @BeforeAll
    static void save() throws IOException {
        student = shared.resolve("student.mvkt");
        teacher = shared.resolve("teacher.mvkt");
        TinyModels.student().save(student);
        TinyModels.teacher().save(teacher);
        studentSha = ModelZips.sha256(Files.readAllBytes(student));
        reference = TinyModels.student().diagnose(TinyModels.leadII(), 100).probabilities();
    }

    private static double[] probabilities(Student s) {
        return s.diagnose(TinyModels.leadII(), 100).probabilities();
    }

    /** Counts what is read and whether it was closed. */
    private static final class Watched extends FilterInputStream {
        final AtomicLong read = new AtomicLong();
        boolean closed;

        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                read.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }

    @Test
    void aStudentLoadsFromAStreamWhichStaysOpen() throws IOException {
        try (Watched in = new Watched(Files.newInputStream(student))) {
            assertArrayEquals(reference, probabilities(Student.load(in)), 0.0);
            assertFalse(in.closed, "the caller closes the stream");
            assertEquals(Files.size(student), in.read.get());
        }
        try (InputStream in = Files.newInputStream(student)) {
            assertArrayEquals(reference, probabilities(Student.load(in, studentSha.toUpperCase(Locale.ROOT))), 0.0);
        }
    }

    @Test
    void aDamagedStreamIsATypedErrorNamingTheStream() throws IOException {
        byte[] bytes = Files.readAllBytes(student);
        bytes[bytes.length / 2] ^= 0x40;
        var e = assertThrows(ModelFormatException.class, () -> Student.load(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().startsWith("input stream: "), e.getMessage());
        var empty = assertThrows(ModelFormatException.class, () -> Student.load(InputStream.nullInputStream()));
        assertTrue(empty.getMessage().contains("input stream: not an mvkt model file"), empty.getMessage());
    }

    @Test
    void aStreamIsReadNoFurtherThanTheBound() {
        Watched endless = new Watched(new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        });
        var e = assertThrows(ModelFormatException.class,
                () -> ModelFiles.readBounded(endless, 100_000, new ModelFiles.Source("endless")));
        assertTrue(e.getMessage().startsWith("endless: is larger than the 100000 bytes"), e.getMessage());
        assertTrue(endless.read.get() <= 100_001 + 16384, "read " + endless.read.get());
    }

    @Test
    void aClasspathResourceInAJarLoads(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("models.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new JarEntry("models/student.mvkt"));
            j.write(Files.readAllBytes(student));
            j.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null)) {
            URL url = loader.getResource("models/student.mvkt");
            assertEquals("jar", url.getProtocol());
            assertArrayEquals(reference, probabilities(Student.load(url)), 0.0);
            assertArrayEquals(reference, probabilities(Student.load(url, studentSha)), 0.0);
            String other = "0".repeat(64);
            var e = assertThrows(ModelFormatException.class, () -> Student.load(url, other));
            assertTrue(e.getMessage().startsWith(url.toExternalForm() + ": SHA-256 of the file is " + studentSha
                    + ", not the expected " + other), e.getMessage());
            var t = assertThrows(ModelFormatException.class, () -> Teacher.load(url));
            assertTrue(t.getMessage().contains("holds a student"), t.getMessage());
            URL absent = new URL(url.toExternalForm().replace("student.mvkt", "absent.mvkt"));
            var a = assertThrows(IOException.class, () -> Student.load(absent));
            assertTrue(a.getMessage().contains("absent.mvkt"), a.getMessage());
        }
    }

    @Test
    void aFileUrlIsReadAsAPathWithItsChecks(@TempDir Path dir) throws IOException {
        assertArrayEquals(reference, probabilities(Student.load(student.toUri().toURL())), 0.0);
        var d = assertThrows(ModelFormatException.class, () -> Student.load(dir.toUri().toURL()));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
        assertThrows(NoSuchFileException.class, () -> Student.load(dir.resolve("none.mvkt").toUri().toURL()));
    }

    @Test
    void aPinnedPathLoadChecksTheWholeFilesHash() throws IOException {
        assertArrayEquals(reference, probabilities(Student.load(student, studentSha)), 0.0);
        String teacherSha = ModelZips.sha256(Files.readAllBytes(teacher));
        var e = assertThrows(ModelFormatException.class, () -> Student.load(student, teacherSha));
        assertTrue(e.getMessage().startsWith(student + ": SHA-256 of the file is " + studentSha), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Student.load(student, "abc"));
        assertTrue(bad.getMessage().contains("'abc'"), bad.getMessage());
        assertThrows(NullPointerException.class, () -> Student.load(student, null));
    }

    @Test
    void aTeacherLoadsFromEverySourceToo() throws IOException {
        double auc = TinyModels.teacher().evaluate(TinyModels.data().test()).macroAuc();
        String sha = ModelZips.sha256(Files.readAllBytes(teacher));
        try (InputStream in = Files.newInputStream(teacher)) {
            assertEquals(auc, Teacher.load(in, sha).evaluate(TinyModels.data().test()).macroAuc(), 0.0);
        }
        assertEquals(auc, Teacher.load(teacher.toUri().toURL(), sha).evaluate(TinyModels.data().test()).macroAuc(),
                0.0);
        try (InputStream in = Files.newInputStream(student)) {
            var e = assertThrows(ModelFormatException.class, () -> Teacher.load(in));
            assertTrue(e.getMessage().equals("input stream: holds a student, not a teacher"), e.getMessage());
        }
    }
}
