package dev.mvkt.datasets;

import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PtbXlTest {
    @TempDir
    Path tmp;

    /** 12 records: folds 1..10 plus two more in train; record 12 has only non-diagnostic codes. */
    static List<Fixtures.PtbRow> rows() {
        List<Fixtures.PtbRow> r = new ArrayList<>();
        r.add(new Fixtures.PtbRow(1, "{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}", 3));
        r.add(new Fixtures.PtbRow(2, "{'IMI': 50.0, 'ASMI': 100.0, 'AFIB': 0.0}", 1));
        r.add(new Fixtures.PtbRow(3, "{'LVH': 100.0, 'NDT': 35.0, 'SR': 0.0}", 2));
        r.add(new Fixtures.PtbRow(4, "{'CLBBB': 100.0}", 4));
        r.add(new Fixtures.PtbRow(5, "{'NORM': 80.0, 'SR': 0.0}", 5));
        r.add(new Fixtures.PtbRow(6, "{'NDT': 100.0, 'AFIB': 0.0}", 6));
        r.add(new Fixtures.PtbRow(7, "{'NORM': 100.0}", 7));
        r.add(new Fixtures.PtbRow(8, "{'IMI': 100.0}", 8));
        r.add(new Fixtures.PtbRow(9, "{'LVH': 100.0, 'SR': 0.0}", 9));
        r.add(new Fixtures.PtbRow(10, "{'NORM': 100.0, 'SR': 0.0}", 10));
        r.add(new Fixtures.PtbRow(11, "{'ASMI': 15.0, 'LVOLT': 0.0}", 10));
        r.add(new Fixtures.PtbRow(12, "{'LVOLT': 100.0, 'SR': 0.0}", 2));
        return r;
    }

    private PtbXl load(Path root, PtbXlTask task, int fs) throws IOException {
        return PtbXl.builder().setRoot(root).optTask(task).optSamplingRate(fs).optCacheDir(tmp.resolve("cache"))
                .build();
    }

    @Test
    void superdiagnosticAggregatesDropsAndSplitsByFold() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows(), false);
        PtbXl ptb = load(root, PtbXlTask.SUPERDIAGNOSTIC, 100);
        assertEquals(List.of("CD", "HYP", "MI", "NORM", "STTC"), ptb.labels().names());
        // Record 12 (LVOLT, SR only) has no diagnostic label and is dropped.
        assertEquals(8, ptb.train().size());
        assertEquals(1, ptb.val().size());
        assertEquals(2, ptb.test().size());
        Split train = ptb.train();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            ids.add(train.record(i).id());
        }
        assertEquals(List.of("00001_lr", "00002_lr", "00003_lr", "00004_lr", "00005_lr", "00006_lr", "00007_lr",
                "00008_lr"), ids);
        // 00003: LVH (HYP) and NDT (STTC).
        assertArrayEquals(new float[] {0, 1, 0, 0, 1}, train.record(2).labels());
        // 00002: IMI and ASMI are both MI; AFIB is not diagnostic.
        assertArrayEquals(new float[] {0, 0, 1, 0, 0}, train.record(1).labels());
        // The cached split answers labels without reading signals, and they agree with the records'.
        for (int i = 0; i < train.size(); i++) {
            assertArrayEquals(train.record(i).labels(), train.labels(i));
        }
        assertArrayEquals(train.record(2).labels(), EcgDatasets.leads(ptb, Lead.I).train().labels(2));
        assertEquals("00009_lr", ptb.val().record(0).id());
        assertEquals(Lead.STANDARD_12, train.leads());
        assertEquals(1000, train.length());
        assertEquals(100.0, train.samplingRate());
    }

    @Test
    void signalsAreMillivoltsInStandardLeadOrderAndStatisticsAreReportedNotApplied() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows(), false);
        PtbXl ptb = load(root, PtbXlTask.SUPERDIAGNOSTIC, 100);
        short[][] d = Fixtures.digital(4, 12, 1000);
        EcgRecord r = ptb.train().record(3);
        assertEquals("00004_lr", r.id());
        for (int l = 0; l < 12; l++) {
            for (int i = 0; i < 1000; i += 97) {
                assertEquals(d[l][i] / 1000f, r.signal()[l][i], 1e-6);
            }
        }
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int k = 0; k < ptb.train().size(); k++) {
            for (float[] lead : ptb.train().record(k).signal()) {
                for (float v : lead) {
                    sum += v;
                    sq += (double) v * v;
                    n++;
                }
            }
        }
        double mean = sum / n;
        SignalStatistics st = ptb.trainStatistics();
        assertEquals(n, st.count());
        assertEquals(mean, st.mean(), 1e-9);
        assertEquals(Math.sqrt(sq / n - mean * mean), st.std(), 1e-9);
        assertTrue(Math.abs(st.mean()) > 1e-4 || Math.abs(st.std() - 1) > 1e-3, "data must not be standardised");
    }

    @Test
    void otherTasksAggregateAsTheBenchmark() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows(), false);
        assertEquals(List.of("AMI", "CLBBB", "IMI", "LVH", "NORM", "STTC"),
                load(root, PtbXlTask.SUBDIAGNOSTIC, 100).labels().names());
        assertEquals(List.of("ASMI", "CLBBB", "IMI", "LVH", "NDT", "NORM"),
                load(root, PtbXlTask.DIAGNOSTIC, 100).labels().names());
        PtbXl rhythm = load(root, PtbXlTask.RHYTHM, 100);
        assertEquals(List.of("AFIB", "SR"), rhythm.labels().names());
        assertEquals(8, rhythm.train().size() + rhythm.val().size() + rhythm.test().size());
        PtbXl form = load(root, PtbXlTask.FORM, 100);
        assertEquals(List.of("LVOLT", "NDT"), form.labels().names());
        assertEquals(12, load(root, PtbXlTask.ALL, 100).labels().names().size() + 3,
                "ALL has every code present: NORM LVOLT SR IMI ASMI AFIB LVH NDT CLBBB");
    }

    @Test
    void fiveHundredHertzReadsTheHighRateRecords() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows().subList(0, 3), true);
        PtbXl ptb = load(root, PtbXlTask.SUPERDIAGNOSTIC, 500);
        assertEquals(5000, ptb.train().length());
        assertEquals("00001_hr", ptb.train().record(0).id());
        assertEquals(Fixtures.digital(8, 12, 5000)[11][4999] / 1000f, ptb.train().record(0).signal()[11][4999],
                1e-6);
    }

    @Test
    void secondLoadComesFromTheCacheWithoutReadingRecords() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows(), false);
        PtbXl first = load(root, PtbXlTask.SUPERDIAGNOSTIC, 100);
        float v = first.test().record(1).signal()[5][500];
        try (Stream<Path> s = Files.walk(root.resolve("records100"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
            }
        }
        PtbXl second = load(root, PtbXlTask.SUPERDIAGNOSTIC, 100);
        assertEquals(first.cacheFile(), second.cacheFile());
        assertEquals(v, second.test().record(1).signal()[5][500]);
        assertEquals(first.identity(), second.identity());
    }

    @Test
    void aCorruptCacheIsRebuiltAndAFailedBuildLeavesNothing() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows(), false);
        PtbXl first = load(root, PtbXlTask.SUPERDIAGNOSTIC, 100);
        Path cache = first.cacheFile();
        byte[] all = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(all, all.length - 100));
        PtbXl rebuilt = load(root, PtbXlTask.SUPERDIAGNOSTIC, 100);
        assertEquals(all.length, Files.size(rebuilt.cacheFile()));
        assertEquals(first.train().record(0).signal()[0][0], rebuilt.train().record(0).signal()[0][0]);

        Path broken = Fixtures.ptbxl(tmp.resolve("broken"), rows(), false);
        Files.delete(broken.resolve("records100/00000/00010_lr.dat"));
        Path cacheDir = tmp.resolve("cache2");
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> PtbXl.builder().setRoot(broken)
                .optCacheDir(cacheDir).build());
        assertTrue(e.getMessage().contains("00010_lr.dat") && e.getMessage().contains("not found"), e.getMessage());
        try (Stream<Path> s = Files.list(cacheDir)) {
            assertEquals(0, s.count(), "no cache and no temporary file may remain");
        }
    }

    @Test
    void malformedScpCodesNameTheLineAndField() throws IOException {
        List<Fixtures.PtbRow> r = new ArrayList<>(rows());
        r.set(4, new Fixtures.PtbRow(5, "{'NORM': 80.0 'SR': 0.0}", 5));
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), r, false);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> load(root, PtbXlTask.ALL, 100));
        assertTrue(e.getMessage().contains("ptbxl_database.csv (line 6, field scp_codes)"), e.getMessage());
    }

    @Test
    void missingRecordHeaderNamesTheIndexLine() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows(), false);
        Files.delete(root.resolve("records100/00000/00007_lr.hea"));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> load(root, PtbXlTask.ALL, 100));
        assertTrue(e.getMessage().contains("line 8, field filename_lr") && e.getMessage().contains("00007_lr.hea"),
                e.getMessage());
    }

    @Test
    void wrongLeadCountAndBadFoldAreRefused() throws IOException {
        Path root = Fixtures.ptbxl(tmp.resolve("ptb"), rows(), false);
        Fixtures.writeWfdb16(root.resolve("records100/00000"), "00003_lr", 100, Fixtures.digital(3, 11, 1000),
                Fixtures.PTBXL_LEADS.subList(0, 11), 1000, "mV", 0);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> load(root, PtbXlTask.ALL, 100));
        assertTrue(e.getMessage().contains("00003_lr.hea") && e.getMessage().contains("has 11 leads"),
                e.getMessage());

        List<Fixtures.PtbRow> r = new ArrayList<>(rows());
        r.set(0, new Fixtures.PtbRow(1, "{'NORM': 100.0}", 11));
        Path root2 = Fixtures.ptbxl(tmp.resolve("ptb2"), r, false);
        EcgFormatException fold = assertThrows(EcgFormatException.class, () -> load(root2, PtbXlTask.ALL, 100));
        assertTrue(fold.getMessage().contains("line 2, field strat_fold"), fold.getMessage());
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> PtbXl.builder().setRoot(root2).optSamplingRate(250).build());
        assertTrue(rate.getMessage().contains("250"), rate.getMessage());
    }

    @Test
    void realScpStatementsGiveTheBenchmarkClassCounts() throws IOException {
        Path data = Fixtures.sharedData();
        assumeTrue(data != null, Fixtures.SKIP);
        ScpStatements scp = ScpStatements.read(data.resolve("ptbxl-meta/scp_statements.csv"));
        assertEquals(71, scp.size());
        List<String> codes = new ArrayList<>();
        for (Csv.Row row : Csv.read(data.resolve("ptbxl-meta/scp_statements.csv")).rows()) {
            codes.add(row.get(0));
        }
        assertEquals(5, scp.labels(PtbXlTask.SUPERDIAGNOSTIC, codes).size());
        assertEquals(23, scp.labels(PtbXlTask.SUBDIAGNOSTIC, codes).size());
        assertEquals(44, scp.labels(PtbXlTask.DIAGNOSTIC, codes).size());
        assertEquals(19, scp.labels(PtbXlTask.FORM, codes).size());
        assertEquals(12, scp.labels(PtbXlTask.RHYTHM, codes).size());
        assertFalse(scp.labels(PtbXlTask.SUPERDIAGNOSTIC, List.of("SR", "LVOLT")).iterator().hasNext());
    }
}
