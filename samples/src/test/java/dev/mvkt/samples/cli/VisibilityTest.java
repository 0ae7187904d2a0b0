package dev.mvkt.samples.cli;

import com.google.gson.JsonArray;
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

/** {@code experiment visibility} on a tiny synthetic set: the table, the heat map, the JSON, and its checks. */
class VisibilityTest {
    private static final List<String> TINY = List.of("--train", "24", "--val", "12", "--test", "12", "--epochs", "1",
            "--width", "2", "--batch-size", "12", "--bootstrap", "20");

    private static String[] args(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("experiment", "visibility"));
        a.addAll(TINY);
        a.addAll(List.of(extra));
        a.addAll(List.of("--out", out.toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void mapsEveryLeadAndClassAcrossSeedsWithTheTeacherAsReference(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome o = CliArgumentsTest.run(args(out, "--leads", "I,V2", "--model-seeds", "0,1",
                "--with-teacher"));
        assertEquals(0, o.code(), o.err());
        for (String f : List.of("report.md", "results.json", "visibility.png", "models/visibility-I-s0.mvkt",
                "models/visibility-V2-s1.mvkt", "models/teacher-s1.mvkt")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String report = Files.readString(out.resolve("report.md"));
        for (String s : List.of("## Visibility map", "| Lead | NORM | AFIB | STD_INF | TINV_ANT | CD | macro |",
                "| Teacher (12 leads) |", "| I |", "| V2 |", "mean ± sd over training seeds [0, 1]",
                "Validation split:", "![test AUC per lead and class](visibility.png)")) {
            assertTrue(report.contains(s), s + " in\n" + report);
        }
        JsonObject vis = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
                .getAsJsonObject("visibility");
        JsonObject rows = vis.getAsJsonObject("train24");
        assertEquals(List.of("Teacher (12 leads)", "I", "V2"), List.copyOf(rows.keySet()));
        JsonObject leadI = rows.getAsJsonObject("I");
        JsonArray perSeed = leadI.getAsJsonArray("testAucPerSeed");
        assertEquals(2, perSeed.size());
        // Five classes and the macro AUC, each an AUC or null (a class absent from 12 test records).
        assertEquals(6, perSeed.get(0).getAsJsonArray().size());
        double mean = 0;
        int n = 0;
        for (int s = 0; s < 2; s++) {
            var v = perSeed.get(s).getAsJsonArray().get(5);
            if (!v.isJsonNull()) {
                assertTrue(v.getAsDouble() >= 0 && v.getAsDouble() <= 1);
                mean += v.getAsDouble();
                n++;
            }
        }
        if (n == 2) {
            assertEquals(mean / 2, leadI.get("testMacroAucMean").getAsDouble(), 1e-12);
        }
        BufferedImage png = ImageIO.read(out.resolve("visibility.png").toFile());
        assertTrue(png.getWidth() > 500 && png.getHeight() > 100, png.getWidth() + "x" + png.getHeight());
    }

    @Test
    void comparesWithTheLeadingTrainingRecords(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome o = CliArgumentsTest.run(args(out, "--leads", "I", "--compare-train", "12"));
        assertEquals(0, o.code(), o.err());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("With the first 12 training records only"), report);
        assertTrue(report.contains("Gain from 12 to 24 training records"), report);
        JsonObject vis = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
                .getAsJsonObject("visibility");
        assertTrue(vis.has("train24") && vis.has("train12"), vis.keySet().toString());
        assertTrue(Files.size(out.resolve("models/visibility-I-n12.mvkt")) > 0);
    }

    @Test
    void badOptionsAreOneLineUsageErrors(@TempDir Path out) {
        for (String[] bad : List.of(new String[] {"--compare-train", "24"}, new String[] {"--model-seeds", "1,1"},
                new String[] {"--model-seeds", "x"}, new String[] {"--leads", "I,I"})) {
            CliArgumentsTest.Outcome o = CliArgumentsTest.run(args(out, bad));
            assertEquals(2, o.code(), String.join(" ", bad) + ": " + o.err());
            assertEquals(1, o.err().strip().split("\\R").length, o.err());
        }
    }
}
