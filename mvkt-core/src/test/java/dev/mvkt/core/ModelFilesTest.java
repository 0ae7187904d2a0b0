package dev.mvkt.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading refuses foreign and damaged files with a message that names the file and the problem. */
class ModelFilesTest {

    @Test
    void foreignFileIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello");
        var e = assertThrows(ModelFormatException.class, () -> Student.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("not an mvkt model"),
                e.getMessage());
    }

    @Test
    void zipWithoutOurHeaderIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.write("{}".getBytes());
        }
        var e = assertThrows(ModelFormatException.class, () -> Student.load(f));
        assertTrue(e.getMessage().contains("configuration.json"), e.getMessage());
    }

    @Test
    void wrongFormatVersionIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("future.mvkt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("mvkt-model.properties"));
            z.write("format=mvkt-model\nformatVersion=99\nkind=student\n".getBytes());
        }
        var e = assertThrows(ModelFormatException.class, () -> Student.load(f));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void missingFileSaysSo(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> Student.load(dir.resolve("absent.mvkt")));
    }
}
