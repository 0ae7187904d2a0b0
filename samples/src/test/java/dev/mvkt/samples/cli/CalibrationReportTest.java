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

/**
 * A report gives each model's expected calibration error before and after its temperatures, on validation and test,
 * overall and per class, in report.md and results.json, and draws reliability.png.
 */
class CalibrationReportTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void theTeacherReportHasEceBeforeAndAfterAndAReliabilityDiagram(@TempDir Path out) throws Exception {
        CliArgumentsTest.Outcome run = CliArgumentsTest.run("teacher", "--train", "24", "--val", "16", "--test",
                "12", "--epochs", "1", "--width", "2", "--batch-size", "12", "--bootstrap", "0", "--out",
                out.toString());
        assertEquals(0, run.code(), run.err());
        BufferedImage png = ImageIO.read(out.resolve("reliability.png").toFile());
        assertTrue(png.getWidth() >= 500 && png.getHeight() >= 400, png.getWidth() + "x" + png.getHeight());

        JsonObject model = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
                .getAsJsonArray("models").get(0).getAsJsonObject();
        JsonObject cal = model.getAsJsonObject("calibration");
        assertEquals(15, cal.get("eceBins").getAsInt());
        assertEquals(5, cal.getAsJsonArray("temperatures").size());
        JsonObject val = cal.getAsJsonObject("val");
        JsonObject test = cal.getAsJsonObject("test");
        for (JsonObject split : List.of(val, test)) {
            for (String k : List.of("before", "after")) {
                double e = split.get(k).getAsDouble();
                assertTrue(e >= 0 && e <= 1, k + " " + e);
            }
            assertEquals(5, split.getAsJsonObject("perClass").size());
        }
        // The temperatures are fitted to lower the validation cross-entropy; with 16 records the ECE usually follows,
        // but only the NLL is guaranteed, so the ECE is checked against the model's own record of it.
        String provenance = Files.readString(out.resolve("models/teacher.provenance.txt"));
        assertTrue(provenance.contains("calibration.method = TEMPERATURE"), provenance);
        double recordedAfter = Double.parseDouble(provenance.lines()
                .filter(l -> l.startsWith("calibration.valEce.after = ")).findFirst().orElseThrow()
                .substring("calibration.valEce.after = ".length()));
        assertEquals(recordedAfter, val.get("after").getAsDouble(), 1e-4,
                "the report's validation ECE is the one calibration saw at training time");

        String report = Files.readString(out.resolve("report.md"));
        for (String s : List.of("## Calibration: expected calibration error (ECE), %", "val ECE before",
                "val ECE after", "test ECE before", "test ECE after", "### Per-class ECE", "STD_INF",
                "(reliability.png)")) {
            assertTrue(report.contains(s), s);
        }
        String row = String.format(java.util.Locale.ROOT, "| Teacher (12 leads) | %s | %s | %s | %s |",
                Report.pct(val.get("before").getAsDouble()), Report.pct(val.get("after").getAsDouble()),
                Report.pct(test.get("before").getAsDouble()), Report.pct(test.get("after").getAsDouble()));
        assertTrue(report.contains(row), "the report shows the JSON's ECEs: " + row + "\n" + report);
    }
}
