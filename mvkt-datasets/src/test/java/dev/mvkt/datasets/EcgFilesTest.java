package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link EcgFiles}: single record files read as they are, with the loaders' checks. */
class EcgFilesTest {

    @Test
    void readsTheSharedRecordsAsTheyAre() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        List<Path> files = EcgFiles.list(data.resolve("ecg-samples"));
        assertEquals(50, files.size(), "45 WFDB headers and 5 CPSC .mat files; the WFDB .mat signal files are not "
                + "records of their own");
        EcgRecord cinc = EcgFiles.read(data.resolve("ecg-samples/cinc2021/E07500.hea"));
        assertEquals("E07500", cinc.id());
        assertEquals(500, cinc.samplingRate());
        assertEquals(5000, cinc.samples());
        assertEquals(Lead.STANDARD_12, cinc.leads());
        assertEquals(Cpsc2018.LABELS.size(), cinc.labels().length, "Dx codes mapped to the CPSC classes");
        // The same millivolts as the WFDB reader gives, without crop or decimation.
        assertArrayEquals(Wfdb.read(data.resolve("ecg-samples/cinc2021/E07500.hea")).millivolts()[1],
                cinc.lead(Lead.II));
        EcgRecord cpsc = EcgFiles.read(data.resolve("ecg-samples/cpsc2018/A1980.mat"));
        assertEquals("A1980", cpsc.id());
        assertEquals(EcgFiles.CPSC_HZ, cpsc.samplingRate());
        assertEquals(12, cpsc.signal().length);
        assertEquals(0, cpsc.labels().length, "CPSC labels live in REFERENCE.csv");
    }

    @Test
    void badFilesNameTheFileAndField(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("x.csv"), "1,2,3");
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> EcgFiles.read(other));
        assertTrue(e.getMessage().contains("x.csv"), e.getMessage());
        assertFalse(EcgFiles.isRecord(other));

        Files.write(dir.resolve("r.dat"), new byte[2 * 300]);
        Path header = Files.writeString(dir.resolve("r.hea"), "r 1 100 300\nr.dat 16 200/mV 16 0 0 0 0 Lead7\n");
        e = assertThrows(EcgFormatException.class, () -> EcgFiles.read(header));
        assertEquals("line 2, field description", e.where());
        assertTrue(e.getMessage().contains("Lead7"), e.getMessage());

        Files.write(dir.resolve("r.dat"), new byte[2 * 150]);
        Files.writeString(header, "r 1 100 150\nr.dat 16 200/mV 16 0 0 0 0 II\n");
        e = assertThrows(EcgFormatException.class, () -> EcgFiles.read(header));
        assertTrue(e.getMessage().contains("shorter than the minimum of 2.0 s"), e.getMessage());

        Path mat = Files.writeString(dir.resolve("A0001.mat"), "not MATLAB");
        assertTrue(EcgFiles.isRecord(mat), "a .mat without a header beside it is a CPSC record");
        e = assertThrows(EcgFormatException.class, () -> EcgFiles.read(mat));
        assertTrue(e.getMessage().contains("A0001.mat"), e.getMessage());
        Files.writeString(dir.resolve("A0001.hea"), "A0001 1 100 300\nA0001.mat 16 200/mV 16 0 0 0 0 II\n");
        assertFalse(EcgFiles.isRecord(mat), "with a header beside it, it is that header's signal file");
    }
}
