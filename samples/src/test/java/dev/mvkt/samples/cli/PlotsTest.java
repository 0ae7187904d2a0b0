package dev.mvkt.samples.cli;

import dev.mvkt.api.EpochReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures are real PNGs of the expected layout, written without leaving temporary files behind. */
class PlotsTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void rocGridHasAPanelPerClass(@TempDir Path dir) throws Exception {
        Random r = new Random(1);
        float[][] y = new float[40][4];
        double[][] p = new double[40][4];
        for (int i = 0; i < 40; i++) {
            for (int c = 0; c < 4; c++) {
                y[i][c] = r.nextBoolean() ? 1 : 0;
                p[i][c] = 0.5 * y[i][c] + 0.5 * r.nextDouble();
            }
        }
        Map<String, double[][]> probs = new LinkedHashMap<>();
        probs.put("teacher", p);
        probs.put("student", p);
        Path png = dir.resolve("roc.png");
        Plots.roc(png, List.of("A", "B", "C", "D"), probs, y);
        BufferedImage img = ImageIO.read(png.toFile());
        // 4 classes in rows of 3: two rows, three columns.
        assertEquals(3 * 520, img.getWidth());
        assertEquals(2 * 400, img.getHeight());
        assertEquals(1, Files.list(dir).count(), "only the PNG remains");
    }

    @Test
    void figureFiveDrawsEveryMethodWithMissingFractionsAndReferences(@TempDir Path dir) throws Exception {
        Map<String, double[][]> m = new LinkedHashMap<>();
        m.put("BCE", new double[][]{{0.70, 0.69}, {0.75, 0.74}});
        m.put("MVKT + unlabelled records", new double[][]{{0.77, 0.78}, {Double.NaN, Double.NaN}});
        Path png = dir.resolve("fractions.png");
        Plots.fractions(png, "Figure 5", new double[]{0.125, 1}, m, Map.of("BCE, every label", 0.75,
                "ceiling", Double.NaN));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 700 && img.getHeight() >= 450, img.getWidth() + "x" + img.getHeight());
        assertEquals("1/8", Plots.fractionLabel(0.125));
        assertEquals("1", Plots.fractionLabel(1));
        assertEquals("0.3", Plots.fractionLabel(0.3));
    }

    @Test
    void otherFigures(@TempDir Path dir) throws Exception {
        Map<String, List<EpochReport>> h = new LinkedHashMap<>();
        h.put("m", List.of(new EpochReport("teacher", 1, 2, 0.7, Map.of("bce", 0.7), 0.6, 10, true),
                new EpochReport("teacher", 2, 2, 0.6, Map.of("bce", 0.6), 0.65, 10, true)));
        Plots.trainingCurves(dir.resolve("training.png"), h);
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        bars.put("base", List.of(0.7, 0.8));
        bars.put("mvkt", List.of(0.75, 0.82));
        Plots.leadBars(dir.resolve("leads.png"), List.of("I", "II"), bars);
        Plots.tsne(dir.resolve("tsne.png"), Map.of("m", new double[][]{{0, 0}, {1, 1}, {2, 0}}),
                new String[]{"A", "B", "A"}, List.of("A", "B"));
        Map<String, Double> refs = new LinkedHashMap<>();
        refs.put("BCE baseline", 0.7);
        refs.put("teacher", 0.9);
        // A method without a CI (no bootstrap) is drawn as its dot alone.
        Plots.forest(dir.resolve("table1.png"), "Table 1", List.of("BCE", "KD", "PKT"), new double[]{0.7, 0.75, 0.72},
                new double[]{0.6, 0.66, Double.NaN}, new double[]{0.8, 0.84, Double.NaN}, refs, 1);
        for (String f : List.of("training.png", "leads.png", "tsne.png", "table1.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(f).toFile());
            assertTrue(img.getWidth() > 300 && img.getHeight() > 300, f);
        }
    }
}
