package dev.mvkt.samples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvkt.backbones.DecayScope;
import dev.mvkt.core.Thresholds;
import dev.mvkt.losses.CltForm;
import dev.mvkt.losses.MkdForm;
import dev.mvkt.losses.NegativeSampling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --recipe} presets, each knob reaching the trainer, and {@code --seeds} reports. */
class RecipeCliTest {
    private static final String[] TINY = {"--train", "24", "--val", "12", "--test", "12", "--epochs", "1",
            "--width", "2", "--batch-size", "12", "--bootstrap", "40"};

    private static Recipe.Knobs knobs(String recipe) {
        return new Recipe.Knobs(recipe, null, null, null, null, null, null, null, null, null, null, null, null, null,
                false);
    }

    @Test
    void theOfficialCodePresetIsTheCodesRecipe() {
        Recipe r = knobs("official-code").resolve();
        assertEquals(MkdForm.OFFICIAL_CODE, r.mkdForm());
        assertEquals(1.0, r.mkdTemperature());
        assertEquals(CltForm.NCE, r.cltForm());
        assertEquals(NegativeSampling.DIFFERENT_FIRST_LABEL, r.negativeSampling());
        assertEquals("paper-code", r.lrSchedule());
        assertEquals(Thresholds.FIXED_HALF, r.thresholds());
        assertEquals(100, r.epochs());
        Recipe p = knobs(null).resolve();
        assertEquals(MkdForm.PAPER, p.mkdForm());
        assertEquals(1.5, p.mkdTemperature());
        assertEquals(CltForm.INFO_NCE, p.cltForm());
        assertEquals(NegativeSampling.UNIFORM, p.negativeSampling());
        assertEquals(Thresholds.VALIDATION_F1, p.thresholds());
        assertEquals(10, p.epochs());
        assertEquals(1024, p.cltNegatives());
        assertEquals(DecayScope.ALL_PARAMETERS, p.decayScope());
    }

    @Test
    void explicitFlagsWinOverThePresetAndBadValuesAreNamed() {
        Recipe r = new Recipe.Knobs("official-code", 7, "constant", "paper", null, "infonce", 5, 0.2, 0.9,
                "first-bit", "val", "none", 3e-4, "weights", true).resolve();
        assertEquals(7, r.epochs());
        assertEquals("constant", r.lrSchedule());
        assertEquals(MkdForm.PAPER, r.mkdForm());
        assertEquals(1.5, r.mkdTemperature(), "a form given alone takes its own temperature");
        assertEquals(CltForm.INFO_NCE, r.cltForm());
        assertEquals(NegativeSampling.DIFFERENT_FIRST_BIT, r.negativeSampling());
        assertEquals(Thresholds.VALIDATION_F1, r.thresholds());
        assertEquals(false, r.standardize());
        assertEquals(DecayScope.WEIGHTS_ONLY, r.decayScope());
        assertEquals(true, r.deterministic());
        for (String[] bad : new String[][]{{"--recipe", "pytorch"}, {"--mkd-form", "soft"}, {"--clt-form", "x"},
                {"--negative-sampling", "nearest"}, {"--thresholds", "0.4"}, {"--standardize", "lead"},
                {"--weight-decay-scope", "bn"}, {"--clt-momentum", "1.5"}, {"--clt-negatives", "0"},
                {"--lr-schedule", "cosine"}}) {
            CliArgumentsTest.Outcome o = CliArgumentsTest.run("teacher", bad[0], bad[1]);
            assertEquals(2, o.code(), String.join(" ", bad) + ": " + o.err());
            assertTrue(o.err().contains(bad[0]), o.err());
        }
    }

    /** Every knob given on the command line ends up in the trained models' provenance. */
    @Test
    void everyKnobReachesTheTrainer(@TempDir Path out) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("distill", "--with-baseline", "--recipe", "paper",
                "--mkd-form", "official-code", "--mkd-temperature", "2.5", "--clt-form", "nce", "--clt-negatives",
                "7", "--clt-temperature", "0.11", "--clt-momentum", "0.3", "--negative-sampling", "first-label",
                "--thresholds", "0.5", "--standardize", "none", "--weight-decay", "3e-4", "--weight-decay-scope",
                "weights", "--deterministic", "--lr-schedule", "paper-code", "--out", out.toString()));
        args.addAll(List.of(TINY));
        CliArgumentsTest.Outcome o = CliArgumentsTest.run(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        Map<String, String> mvkt = provenance(out.resolve("models/mvkt-I.provenance.txt"));
        Map<String, String> want = Map.ofEntries(Map.entry("loss.mkd.form", "OFFICIAL_CODE"),
                Map.entry("loss.mkd.temperature", "2.5"), Map.entry("loss.clt.form", "NCE"),
                Map.entry("loss.clt.negatives", "7"), Map.entry("loss.clt.temperature", "0.11"),
                Map.entry("loss.clt.momentum", "0.3"), Map.entry("loss.clt.negativeSampling", "DIFFERENT_FIRST_LABEL"),
                Map.entry("training.thresholds", "FIXED_HALF"), Map.entry("training.weightDecay", "3.0E-4"),
                Map.entry("training.weightDecayScope", "WEIGHTS_ONLY"), Map.entry("training.deterministic", "true"),
                Map.entry("training.learningRateSchedule", "warmupThenBaseSteps(15, 0.1, 0.1, [40, 70])"),
                Map.entry("training.epochs", "1"));
        want.forEach((k, v) -> assertEquals(v, mvkt.get(k), k));
        // The distilled student takes its teacher's standardisation; the teacher and the baseline show the flag.
        for (String id : List.of("teacher", "baseline-I")) {
            Map<String, String> p = provenance(out.resolve("models/" + id + ".provenance.txt"));
            assertEquals("false", p.get("training.standardize"), id);
            assertEquals("0.0", p.get("standardize.mean"), id);
            assertEquals("1.0", p.get("standardize.std"), id);
            assertEquals("FIXED_HALF", p.get("training.thresholds"), id);
        }
        assertEquals("0.0", mvkt.get("teacher.standardize.mean"));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        for (var m : json.getAsJsonArray("models")) {
            for (var c : m.getAsJsonObject().getAsJsonObject("perClass").entrySet()) {
                assertEquals(0.5, c.getValue().getAsJsonObject().get("threshold").getAsDouble(), c.getKey());
            }
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("thresholds fixed at 0.5"));
    }

    @Test
    void seedsGiveMeanSdAndPairedIntervals(@TempDir Path out) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("experiment", "table2", "--seeds", "3,4", "--out",
                out.toString()));
        args.addAll(List.of(TINY));
        CliArgumentsTest.Outcome o = CliArgumentsTest.run(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        for (String f : List.of("report.md", "results.json", "seeds.png", "seed-3/report.md", "seed-4/report.md",
                "seed-4/models/mvkt-resnet1d_wang-I.mvkt")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        JsonArray comps = json.getAsJsonArray("comparisons");
        assertEquals(1, comps.size());
        JsonObject c = comps.get(0).getAsJsonObject();
        JsonArray d = c.getAsJsonArray("perSeedDeltaMacroAuc");
        assertEquals(2, d.size());
        // The per-seed differences are those of the two runs' own results.
        for (int s = 0; s < 2; s++) {
            JsonObject run = JsonParser.parseString(Files.readString(out.resolve("seed-" + (3 + s)
                    + "/results.json"))).getAsJsonObject();
            Map<String, Double> auc = new HashMap<>();
            run.getAsJsonArray("models").forEach(m -> auc.put(m.getAsJsonObject().get("id").getAsString(),
                    m.getAsJsonObject().get("macroAuc").getAsDouble()));
            assertEquals(auc.get("mvkt-resnet1d_wang-I") - auc.get("baseline-resnet1d_wang-I"),
                    d.get(s).getAsDouble(), 1e-12);
        }
        double mean = (d.get(0).getAsDouble() + d.get(1).getAsDouble()) / 2;
        assertEquals(mean, c.get("mean").getAsDouble(), 1e-12);
        double sd = Math.abs(d.get(0).getAsDouble() - d.get(1).getAsDouble()) / Math.sqrt(2);
        double half = 12.706 * sd / Math.sqrt(2); // t(0.975, 1 df) = 12.706
        if (sd > 0) {
            assertEquals(mean - half, c.getAsJsonArray("tInterval95").get(0).getAsDouble(), 1e-3 * half + 1e-9);
        }
        String report = Files.readString(out.resolve("report.md"));
        for (String s : List.of("2 seeds", "Paired differences", "95% t-interval", "pooled paired bootstrap",
                "seeds.png", "seed-3/report.md", "MVKT − 1-lead resnet1d_wang (I)")) {
            assertTrue(report.contains(s), s);
        }
    }

    @Test
    void seedStatsMatchStudentsT() {
        assertEquals(4.303, SeedStats.tQuantile975(2), 1e-3);
        assertEquals(2.262, SeedStats.tQuantile975(9), 1e-3);
        SeedStats.Summary s = SeedStats.summarise(0.03, 0.04, 0.05);
        assertEquals(0.04, s.mean(), 1e-12);
        assertEquals(0.01, s.sd(), 1e-12);
        assertEquals(0.04 - 4.303 * 0.01 / Math.sqrt(3), s.lo(), 1e-5);
        assertTrue(s.aboveZero());
        assertTrue(!SeedStats.summarise(0.01, 0.02, 0.03).aboveZero(), "0.02 ± 0.025 includes 0");
        assertTrue(Double.isNaN(SeedStats.summarise(0.5).lo()), "one seed has no interval");
        assertThrows(IllegalArgumentException.class, () -> knobs("nope").resolve());
    }

    private static Map<String, String> provenance(Path file) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 3));
            }
        }
        return m;
    }
}
