package dev.mvkt.samples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code experiment table2} on a tiny synthetic set writes the whole report; {@code --resume} reuses the finished
 * models; {@code evaluate} and {@code diagnose} read what it saved.
 */
class EndToEndTest {
    private static final String[] TINY = {"--train", "24", "--val", "12", "--test", "12", "--epochs", "1",
            "--width", "2", "--batch-size", "12", "--bootstrap", "50"};

    private static String[] args(Path out, String... first) {
        return Stream.concat(Stream.concat(Stream.of(first), Stream.of(TINY)), Stream.of("--out", out.toString()))
                .toArray(String[]::new);
    }

    @Test
    void table2ThenResumeThenEvaluateAndDiagnose(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome first = CliArgumentsTest.run(args(out, "experiment", "table2"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("epoch 1/1"), "plain per-epoch progress lines: " + first.err());
        for (String f : List.of("report.md", "results.json", "roc.png", "training.png",
                "models/teacher-resnet1d_wang.mvkt", "models/teacher-resnet1d_wang.provenance.txt",
                "models/baseline-resnet1d_wang-I.mvkt", "models/mvkt-resnet1d_wang-I.mvkt",
                "models/mvkt-resnet1d_wang-I.provenance.txt")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (Stream<Path> all = Files.walk(out)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        String report = Files.readString(out.resolve("report.md"));
        for (String s : List.of("## Table 2", "| resnet1d_wang |", "mvkt experiment table2", "Per-class F1",
                "STD_INF", "![ROC curves](roc.png)", "models/mvkt-resnet1d_wang-I.provenance.txt")) {
            assertTrue(report.contains(s), s);
        }
        assertTrue(Files.readString(out.resolve("models/mvkt-resnet1d_wang-I.provenance.txt"))
                .contains("loss.expression = bce + mkd + 0.8·clt"));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        JsonArray models = json.getAsJsonArray("models");
        assertEquals(3, models.size());
        JsonObject student = models.get(2).getAsJsonObject();
        assertEquals("mvkt-resnet1d_wang-I", student.get("id").getAsString());
        assertEquals(5, student.getAsJsonObject("perClass").size());
        assertEquals(1, student.getAsJsonArray("history").size());
        double auc = student.get("macroAuc").getAsDouble();
        assertTrue(report.contains(Report.pct(auc)), "the report shows the JSON's number");

        CliArgumentsTest.Outcome again = CliArgumentsTest.run(args(out, "experiment", "table2", "--resume"));
        assertEquals(0, again.code(), again.err());
        assertEquals(3, again.err().split("reusing", -1).length - 1, again.err());
        JsonObject json2 = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertEquals(auc, json2.getAsJsonArray("models").get(2).getAsJsonObject().get("macroAuc").getAsDouble());

        Path evalOut = out.resolve("eval");
        CliArgumentsTest.Outcome eval = CliArgumentsTest.run("evaluate", "--model",
                out.resolve("models/mvkt-resnet1d_wang-I.mvkt").toString(),
                out.resolve("models/teacher-resnet1d_wang.mvkt").toString(), "--train", "24", "--val", "12",
                "--test", "12", "--bootstrap", "0", "--out", evalOut.toString());
        assertEquals(0, eval.code(), eval.err());
        JsonObject evalJson = JsonParser.parseString(Files.readString(evalOut.resolve("results.json")))
                .getAsJsonObject();
        assertEquals(auc, evalJson.getAsJsonArray("models").get(0).getAsJsonObject().get("macroAuc").getAsDouble(),
                1e-9, "the same model on the same test split scores the same");
        assertTrue(evalJson.getAsJsonArray("models").get(0).getAsJsonObject().getAsJsonArray("macroAuc95ci").get(0)
                .isJsonNull(), "no bootstrap, no CI");
        assertTrue(Files.readString(evalOut.resolve("report.md")).contains("(n/a)"));

        CliArgumentsTest.Outcome dx = CliArgumentsTest.run("diagnose", "--model",
                out.resolve("models/mvkt-resnet1d_wang-I.mvkt").toString(), "--data", "synthetic", "--record", "3");
        assertEquals(0, dx.code(), dx.err());
        assertTrue(dx.out().contains("STD_INF") && dx.out().contains("findings:") && dx.out().contains("labels of"),
                dx.out());
    }

    /**
     * {@code experiment table1}: one teacher and a student per distillation method, in one report that says what the
     * table compares; every method's row, CI and delta against BCE are in results.json.
     */
    @Test
    void table1ComparesEveryMethodOnOneStudent(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome run = CliArgumentsTest.run(args(out, "experiment", "table1", "--weight", "pkt=500"));
        assertEquals(0, run.code(), run.err());
        for (String f : List.of("report.md", "results.json", "roc.png", "training.png", "table1.png",
                "models/teacher.mvkt", "models/table1-bce.mvkt", "models/table1-kd.mvkt", "models/table1-fitnet.mvkt",
                "models/table1-rkd.mvkt", "models/table1-pkt.mvkt", "models/table1-mvkt.mvkt")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String report = Files.readString(out.resolve("report.md"));
        for (String s : List.of("## Table 1", "not part of mvkt", "compares distillation losses on the same backbone",
                "| KD (Hinton et al. 2015", "`bce + kd`", "`bce + fitnet`", "`bce + 25·rkd`", "`bce + 500·pkt`",
                "`bce + mkd + 0.8·clt`", "| Teacher (12 leads, reference)", "![macro AUC per method with 95% CIs]"
                        + "(table1.png)", "Per-class F1")) {
            assertTrue(report.contains(s), s);
        }
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertEquals(7, json.getAsJsonArray("models").size(), "the teacher and six students");
        JsonArray rows = json.getAsJsonObject("table1").getAsJsonArray("rows");
        assertEquals(List.of("bce", "kd", "fitnet", "rkd", "pkt", "mvkt"),
                rows.asList().stream().map(r -> r.getAsJsonObject().get("method").getAsString()).toList());
        assertEquals(500.0, rows.get(4).getAsJsonObject().get("weight").getAsDouble());
        JsonObject models = new JsonObject();
        json.getAsJsonArray("models").forEach(m -> models.add(m.getAsJsonObject().get("id").getAsString(), m));
        double bce = models.getAsJsonObject("table1-bce").get("macroAuc").getAsDouble();
        double rkd = models.getAsJsonObject("table1-rkd").get("macroAuc").getAsDouble();
        assertEquals(rkd - bce, rows.get(3).getAsJsonObject().get("deltaMacroAucVsBce").getAsDouble(), 1e-12);
        assertTrue(rows.get(0).getAsJsonObject().get("deltaMacroAucVsBce").isJsonNull(), "BCE has no delta");
        assertTrue(Files.readString(out.resolve("models/table1-rkd.provenance.txt"))
                .contains("loss.expression = bce + 25·rkd"));
    }

    @Test
    void distillWithThePaperCodesScheduleFromTheTeachersWeights(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome run = CliArgumentsTest.run(args(out, "distill", "--lr-schedule", "paper-code",
                "--init-from-teacher"));
        assertEquals(0, run.code(), run.err());
        List<String> provenance;
        try (var files = Files.list(out.resolve("models"))) {
            provenance = files.filter(f -> f.toString().endsWith(".provenance.txt")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertTrue(provenance.stream().allMatch(t -> t.contains("training.learningRateSchedule = warmupThenBaseSteps(15")),
                "every model follows the schedule");
        assertTrue(provenance.stream().anyMatch(t -> t.contains("student.init = teacher: ")),
                "the distilled student starts from the teacher");
    }
}
