package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CincTest {
    @TempDir
    Path tmp;

    @Test
    void snomedCodesMapOntoTheNineClassesAndUnknownCodesAreIgnored() throws EcgFormatException {
        Path h = Path.of("x.hea");
        // JS20000: PAC plus three codes outside the table.
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 0, 0},
                Cinc.labels(h, "284470004,427084000,698252002,55930002"));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0, 1, 1, 1},
                Cinc.labels(h, "426783006, 164889003,270492004,733534002,713427006,17338001,429622005,164931005"));
        assertArrayEquals(new float[9], Cinc.labels(h, "67741000119109,426177001"));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> Cinc.labels(h, "AF,1"));
        assertTrue(e.getMessage().contains("code 'AF'"), e.getMessage());
        for (String cls : Cinc.SNOMED_TO_CPSC.values()) {
            assertTrue(Cpsc2018.LABELS.indexOf(cls) >= 0, cls);
        }
    }

    @Test
    void realCincSamplesLoad() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        Path root = data.resolve("ecg-samples/cinc2021");
        Cinc ds = Cinc.builder().setRoot(root).optCacheDir(tmp).build();
        int kept = ds.train().size() + ds.val().size() + ds.test().size();
        assertEquals(45, kept + ds.droppedUnlabelled());
        assertTrue(kept >= 20, ds.identity());
        assertEquals(Lead.STANDARD_12, ds.train().leads());
        assertEquals(5000, ds.train().length());
        boolean found = false;
        for (Split s : List.of(ds.train(), ds.val(), ds.test())) {
            for (int i = 0; i < s.size(); i++) {
                EcgRecord r = s.record(i);
                if (r.id().equals("HR06000")) {
                    // Dx 164934002 (T wave abnormal, not a CPSC class), 426783006 (sinus rhythm = Normal).
                    assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0}, r.labels());
                    assertEquals(0.010f, r.lead(Lead.I)[0], 1e-7);
                    assertEquals(0.005f, r.lead(Lead.AVR)[0], 1e-7);
                    assertEquals(0.625f, r.lead(Lead.V6)[0], 1e-7);
                    found = true;
                }
            }
        }
        assertTrue(found, "HR06000 (sinus rhythm) must be kept");
    }

    @Test
    void leadOrderComesFromTheHeaderAndHigherRatesAreDownsampled() throws IOException {
        List<String> shuffled = List.of("V6", "avr", "I", "II", "III", "AVL", "aVF", "V1", "V2", "V3", "V4", "V5");
        for (int k = 0; k < 12; k++) {
            short[][] d = Fixtures.digital(k, 12, 2000);
            Path hea = Fixtures.writeWfdb16(tmp.resolve("src"), "R" + k, 1000, d, shuffled, 1000, "mV", 0);
            Files.writeString(hea, Files.readString(hea) + "# Age: 50\n# Dx: " + (k % 2 == 0 ? "164889003"
                    : "59118001,164934002") + "\n");
        }
        Path other = Fixtures.writeWfdb16(tmp.resolve("src"), "Z", 1000, Fixtures.digital(99, 12, 2000), shuffled,
                1000, "mV", 0);
        Files.writeString(other, Files.readString(other) + "#Dx: 164934002\n");
        Cinc ds = Cinc.builder().setRoot(tmp.resolve("src")).optSamplingRate(500).optLength(1000)
                .optCacheDir(tmp.resolve("c")).build();
        assertEquals(1, ds.droppedUnlabelled());
        assertEquals(12, ds.train().size() + ds.val().size() + ds.test().size());
        EcgRecord r = ds.train().record(0);
        int k = Integer.parseInt(r.id().substring(1));
        short[][] d = Fixtures.digital(k, 12, 2000);
        // Header row 0 is V6, row 2 is I; a slow random walk survives the anti-alias filter nearly unchanged.
        assertEquals(d[2][1000] / 1000f, r.lead(Lead.I)[500], 0.01);
        assertEquals(d[0][1000] / 1000f, r.lead(Lead.V6)[500], 0.01);
        assertEquals(k % 2 == 0 ? 1f : 0f, r.labels()[1]);
    }

    @Test
    void headerWithoutDxOrAtAnUnusableRateIsRefused() throws IOException {
        Path hea = Fixtures.writeWfdb16(tmp.resolve("a"), "N", 500, Fixtures.digital(1, 12, 100),
                Fixtures.leadLabels(), 1000, "mV", 0);
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> Cinc.builder().setRoot(tmp.resolve("a")).optCacheDir(tmp.resolve("c")).build());
        assertTrue(e.getMessage().contains("no '# Dx:' line") && e.getMessage().contains("N.hea"), e.getMessage());
        Path h2 = Fixtures.writeWfdb16(tmp.resolve("b"), "S", 257, Fixtures.digital(1, 12, 100),
                Fixtures.leadLabels(), 1000, "mV", 0);
        Files.writeString(h2, Files.readString(h2) + "# Dx: 164889003\n");
        EcgFormatException rate = assertThrows(EcgFormatException.class,
                () -> Cinc.builder().setRoot(tmp.resolve("b")).optCacheDir(tmp.resolve("c")).build());
        assertTrue(rate.getMessage().contains("257.0 Hz"), rate.getMessage());
        assertTrue(Files.readString(hea).contains("N.dat"));
    }

    @Test
    void theFirstMappedDxCodeIsTheFirstLabel() throws EcgFormatException {
        int[] first = new int[1];
        // 111975006 (not mapped), then RBBB (59118001), then AF (164889003).
        float[] y = Cinc.labels(java.nio.file.Path.of("x.hea"), "111975006,59118001,164889003", first);
        assertEquals(1, y[1]);
        assertEquals(1, y[4]);
        assertEquals(4, first[0], "RBBB comes first in #Dx, although AF has the lower class index");
        Cinc.labels(java.nio.file.Path.of("x.hea"), "111975006", first);
        assertEquals(-1, first[0]);
    }
}
