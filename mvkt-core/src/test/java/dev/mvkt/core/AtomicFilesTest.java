package dev.mvkt.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A file is replaced whole or not at all, and nothing temporary is left beside it. */
class AtomicFilesTest {

    @Test
    void writesIntoNewFoldersAndReplacesWholeFiles(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("a/b/report.md");
        AtomicFiles.writeString(target, "first");
        assertEquals("first", Files.readString(target));
        AtomicFiles.write(target, "second, longer".getBytes(StandardCharsets.UTF_8));
        assertEquals("second, longer", Files.readString(target));
        AtomicFiles.write(target, out -> out.write('x'));
        assertEquals("x", Files.readString(target));
        assertEquals(List.of(target), listing(target.getParent()));
    }

    @Test
    void aFailingWriterLeavesThePreviousFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.mvkt");
        AtomicFiles.writeString(target, "good model");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half a mod".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("good model", Files.readString(target));
        assertEquals(List.of(target), listing(dir));

        Path fresh = dir.resolve("never.mvkt");
        assertThrows(IOException.class, () -> AtomicFiles.write(fresh, out -> {
            throw new IOException("failed before writing");
        }));
        assertEquals(List.of(target), listing(dir));
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
