package dev.mvkt.samples.cli;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.ConsoleProgress;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mvkt diagnose} on a two-lead student: a file with a lead header, the quality verdict, an abstention. */
class DiagnoseCommandTest {

    @Test
    void aTwoLeadRecordingIsReadByItsHeaderAndAFlatOneGetsNoDiagnosis(@TempDir Path dir) throws Exception {
        EcgDataset data = SyntheticEcg.builder().optSeed(4).optDifficulty(0).optSizes(16, 8, 2).build();
        Student s = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(4).build())
                .optLeads(List.of(Lead.I, Lead.II)).optEpochs(1).optBatchSize(8)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        Path model = dir.resolve("patch.mvkt");
        s.save(model);
        EcgRecord rec = data.test().record(0);
        StringBuilder csv = new StringBuilder("II;I\n");   // any order: the header names the columns
        for (int i = 0; i < rec.lead(Lead.I).length; i++) {
            csv.append(rec.lead(Lead.II)[i]).append(';').append(rec.lead(Lead.I)[i]).append('\n');
        }
        Path good = dir.resolve("good.csv");
        Files.writeString(good, csv);
        CliArgumentsTest.Outcome ok = CliArgumentsTest.run("diagnose", "--model", model.toString(), "--input",
                good.toString(), "--hz", "100");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("leads I,II, 1000 samples at 100.0 Hz") && ok.out().contains("quality: ok")
                && ok.out().contains("findings: "), ok.out());

        StringBuilder flat = new StringBuilder("I,II\n");
        for (int i = 0; i < 1000; i++) {
            flat.append("0,").append(rec.lead(Lead.II)[i]).append('\n');
        }
        Path off = dir.resolve("off.csv");
        Files.writeString(off, flat);
        CliArgumentsTest.Outcome none = CliArgumentsTest.run("diagnose", "--model", model.toString(), "--input",
                off.toString(), "--hz", "100");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().contains("quality: unusable") && none.out().contains("unusable LEAD_OFF: lead I: flat")
                && none.out().contains("NORM       n/a") && none.out().contains("no diagnosis is given"),
                none.out());
        CliArgumentsTest.Outcome anyway = CliArgumentsTest.run("diagnose", "--model", model.toString(), "--input",
                off.toString(), "--hz", "100", "--quality-policy", "REPORT_ONLY");
        assertEquals(0, anyway.code(), anyway.err());
        assertTrue(anyway.out().contains("quality: unusable") && !anyway.out().contains("n/a"), anyway.out());

        Path noHeader = dir.resolve("plain.txt");
        Files.writeString(noHeader, "0.1 0.2 0.3\n");
        CliArgumentsTest.Outcome plain = CliArgumentsTest.run("diagnose", "--model", model.toString(), "--input",
                noHeader.toString(), "--hz", "100");
        assertTrue(plain.code() != 0 && plain.err().contains("must name them (e.g. 'I,II')"), plain.err());
        Path wrong = dir.resolve("wrong.csv");
        Files.writeString(wrong, "I,V1\n0.1,0.2\n");
        CliArgumentsTest.Outcome lacks = CliArgumentsTest.run("diagnose", "--model", model.toString(), "--input",
                wrong.toString(), "--hz", "100");
        assertTrue(lacks.code() != 0 && lacks.err().contains("lacks [II] and has extra [V1]"), lacks.err());
        CliArgumentsTest.Outcome slow = CliArgumentsTest.run("diagnose", "--model", model.toString(), "--input",
                good.toString(), "--hz", "0.001");
        assertTrue(slow.code() != 0 && slow.err().contains("sampling rate 0.001 Hz"), slow.err());
    }

    @Test
    void distillTrainsALeadSubsetThatDiagnoseReads(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome run = CliArgumentsTest.run("distill", "--baseline", "--leads", "I,ii", "--train",
                "16", "--val", "8", "--test", "8", "--epochs", "1", "--width", "2", "--batch-size", "8",
                "--bootstrap", "0", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        Path model = out.resolve("models/baseline-I-II.mvkt");
        assertEquals(List.of(Lead.I, Lead.II), Student.load(model).leads());
        CliArgumentsTest.Outcome dx = CliArgumentsTest.run("diagnose", "--model", model.toString(), "--data",
                "synthetic", "--record", "1");
        assertEquals(0, dx.code(), dx.err());
        assertTrue(dx.out().contains("leads I,II, 1000 samples at 100.0 Hz") && dx.out().contains("quality: ")
                && dx.out().contains("labels of"), dx.out());
        CliArgumentsTest.Outcome twice = CliArgumentsTest.run("distill", "--baseline", "--leads", "I,I",
                "--out", out.resolve("x").toString());
        assertTrue(twice.code() != 0 && twice.err().contains("listed twice"), twice.err());
    }
}
