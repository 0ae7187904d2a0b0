package dev.mvkt.samples.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code experiment fractions} end to end on a tiny synthetic set, two seeds: every row, the figure, the report. */
class FractionsTest {
    private static final List<String> TINY = List.of("--train", "24", "--val", "12", "--test", "12", "--epochs", "1",
            "--width", "2", "--batch-size", "12", "--bootstrap", "20", "--pool", "24", "--pretrain-epochs", "1",
            "--pretrain-batch", "8");

    private static String[] args(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("experiment", "fractions"));
        a.addAll(TINY);
        a.addAll(List.of(extra));
        a.addAll(List.of("--out", out.toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void trainsEveryRowPerFractionAndSeedAndDrawsFigureFive(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome o = CliArgumentsTest.run(args(out, "--fractions", "0.5,1", "--seeds", "0,1",
                "--ceiling", "0.9"));
        assertEquals(0, o.code(), o.err());
        for (String seed : List.of("seed-0", "seed-1")) {
            for (String m : List.of("teacher", "clecg", "bce-all", "bce-f0.5", "mvkt-f0.5", "mvkt-clecg-f0.5",
                    "mvkt-unlabelled-f0.5", "mvkt-f1", "mvkt-clecg-f1", "bce-clecg-f0.5", "bce-clecg-f1",
                    "bce-steps-f0.5")) {
                assertTrue(Files.size(out.resolve(seed).resolve("models").resolve(m + ".mvkt")) > 0, seed + " " + m);
            }
            // No record is left unlabelled at fraction 1, and BCE on every label is trained once.
            assertTrue(Files.notExists(out.resolve(seed).resolve("models/mvkt-unlabelled-f1.mvkt")));
            assertTrue(Files.notExists(out.resolve(seed).resolve("models/bce-f1.mvkt")));
            assertTrue(Files.notExists(out.resolve(seed).resolve("models/bce-steps-f1.mvkt")));
            assertTrue(Files.size(out.resolve(seed).resolve("fractions.png")) > 0);
        }
        Path models = out.resolve("seed-0/models");
        String unl = Files.readString(models.resolve("mvkt-unlabelled-f0.5.provenance.txt"));
        assertTrue(unl.contains("data.train.size = 24") && unl.contains("data.train.labelled = 12")
                && unl.contains("data.train.used = all records"), unl);
        String steps = Files.readString(models.resolve("bce-steps-f0.5.provenance.txt"));
        assertTrue(steps.contains("training.epochs = 2") && steps.contains("data.train.size = 12"), steps);
        String bce = Files.readString(models.resolve("bce-f0.5.provenance.txt"));
        assertTrue(bce.contains("data.train.size = 12") && bce.contains("data.train.labelled = 12"), bce);
        String clecg = Files.readString(models.resolve("mvkt-clecg-f0.5.provenance.txt"));
        assertTrue(clecg.contains("student.init = pretrained: ") && clecg.contains("pretrained.stage = pretrained"),
                clecg);
        String pre = Files.readString(models.resolve("clecg.provenance.txt"));
        assertTrue(pre.contains("data.records = 24") && pre.contains("data.labelsRead = false"), pre);

        String report = Files.readString(out.resolve("report.md"));
        for (String s : List.of("MVKT − BCE, 1/2 of labels", "MVKT + CLECG init − BCE, 1/2 of labels",
                "MVKT + unlabelled records − BCE, 1/2 of labels", "MVKT (1/2 of labels) − BCE (every label)",
                "CLECG init: MVKT + CLECG − MVKT, 1 of labels", "BCE + CLECG init − BCE, 1/2 of labels",
                "The teacher on a CLECG start: MVKT + CLECG − BCE + CLECG, 1 of labels",
                "MVKT + unlabelled records − BCE (equal steps), 1/2 of labels",
                "BCE, equal steps − BCE, 1/2 of labels",
                "## Figure 5: test macro AUC against the labelled fraction", "| Method | 1/2 | 1 |",
                "| MVKT + unlabelled records | ", "![macro AUC against the labelled fraction](fractions.png)",
                "lead ceiling (10x labels): 90.0")) {
            assertTrue(report.contains(s), s + " in\n" + report);
        }
        BufferedImage png = ImageIO.read(out.resolve("fractions.png").toFile());
        assertTrue(png.getWidth() > 500 && png.getHeight() > 300, png.getWidth() + "x" + png.getHeight());
        JsonObject fig = JsonParser.parseString(Files.readString(out.resolve("seed-1/results.json")))
                .getAsJsonObject().getAsJsonObject("figure5");
        assertEquals(2, fig.getAsJsonArray("fractions").size());
        assertEquals(List.of("bce", "bce-clecg", "bce-steps", "mvkt", "clecg", "unlabelled"),
                List.copyOf(fig.getAsJsonObject("testMacroAuc").keySet()));
    }

    @Test
    void badOptionsAreOneLineUsageErrors(@TempDir Path out) {
        for (String[] bad : List.of(new String[] {"--fractions", "0"}, new String[] {"--fractions", "1.5"},
                new String[] {"--fractions", "0.5,0.5"}, new String[] {"--fractions", "x"},
                new String[] {"--methods", "bce,nope"}, new String[] {"--ceiling", "84"},
                new String[] {"--pretrain-epochs", "0"})) {
            CliArgumentsTest.Outcome o = CliArgumentsTest.run(args(out, bad));
            assertEquals(2, o.code(), String.join(" ", bad) + ": " + o.err());
            assertEquals(1, o.err().strip().split("\\R").length, o.err());
        }
    }
}
