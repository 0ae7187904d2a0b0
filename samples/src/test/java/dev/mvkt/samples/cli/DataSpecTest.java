package dev.mvkt.samples.cli;

import dev.mvkt.datasets.PtbXlTask;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataSpecTest {
    @Test
    void synthetic() {
        DataSpec d = DataSpec.parse("Synthetic");
        assertEquals(DataSpec.Kind.SYNTHETIC, d.kind());
        assertNull(d.root());
    }

    @Test
    void ptbxlWithAndWithoutTask(@TempDir Path dir) {
        DataSpec plain = DataSpec.parse("ptbxl:" + dir);
        assertEquals(PtbXlTask.SUPERDIAGNOSTIC, plain.task());
        assertEquals(dir, plain.root());
        assertEquals(PtbXlTask.SUBDIAGNOSTIC, DataSpec.parse("ptbxl:" + dir + ":sub").task());
        assertEquals(PtbXlTask.RHYTHM, DataSpec.parse("ptbxl:" + dir + ":rhythm").task());
        assertEquals(PtbXlTask.SUPERDIAGNOSTIC, DataSpec.parse("ptbxl:" + dir + ":superdiagnostic").task());
        assertEquals("ptbxl:" + dir + ":subdiagnostic", DataSpec.parse("ptbxl:" + dir + ":sub").toString());
    }

    @Test
    void cpscAndCinc(@TempDir Path dir) {
        assertEquals(DataSpec.Kind.CPSC2018, DataSpec.parse("cpsc2018:" + dir).kind());
        assertFalse(DataSpec.parse("cpsc2018:" + dir).denoise());
        DataSpec denoised = DataSpec.parse("cpsc2018:" + dir + ":Denoise");
        assertTrue(denoised.denoise());
        assertEquals(dir, denoised.root());
        assertEquals("cpsc2018:" + dir + ":denoise", denoised.toString());
        assertEquals(DataSpec.Kind.CINC, DataSpec.parse("CINC:" + dir).kind());
    }

    /** {@code --cache-dir} reaches the loader: the cache is built in that folder, nowhere else. */
    @Test
    void theCacheGoesWhereItIsAsked(@TempDir Path dir) throws Exception {
        Path samples = ScoreCommandTest.sharedSamples();
        Assumptions.assumeTrue(samples != null, "../shared/data/ecg-samples is absent: skipping the CinC cache test");
        Path cache = dir.resolve("cache");
        DataSpec.parse("cinc:" + samples.resolve("cinc2021")).load(0, 2, 2, 2, null, cache);
        try (var files = Files.list(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".mvktcache")), "no cache in " + cache);
        }
    }

    @Test
    void errorsNameTheProblem(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("mitbih:" + dir));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("cinc:"));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("cinc:" + dir.resolve("missing")));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("ptbxl:" + dir + ":"));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("syntetic"));
    }

    @Test
    void backboneListsAndLeads() {
        assertEquals(BackboneTable.names(), BackboneTable.parseList("all"));
        assertEquals(java.util.List.of("cnn_hannun", "resnet1d_wang"),
                BackboneTable.parseList("cnn_hannun, resnet1d_wang"));
        assertThrows(IllegalArgumentException.class, () -> BackboneTable.parseList("resnet1d_wang,resnet1d_wang"));
        assertEquals(12, Options.parseLeads("all").size());
        assertEquals(dev.mvkt.api.Lead.AVR, Options.parseLeads("I,avr").get(1));
    }
}
