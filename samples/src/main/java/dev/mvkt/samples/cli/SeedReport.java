package dev.mvkt.samples.cli;

import dev.mvkt.core.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a {@code --seeds} run: each seed's complete run is in {@code OUT/seed-N}; this writes
 * {@code OUT/report.md}, {@code OUT/results.json} and {@code OUT/seeds.png} with, per model, the mean ± sd of each
 * test metric over the seeds, and for each method the experiment compares with its BCE baseline the per-seed
 * paired differences of test macro AUC, their mean with a 95% t-interval across seeds, and the pooled paired
 * bootstrap. This is the evidence a claim that one method beats another needs: one seed is an anecdote.
 */
final class SeedReport {
    private SeedReport() {
    }

    static void write(Path out, String title, String command, List<Session> sessions) throws IOException {
        Session first = sessions.get(0);
        List<Long> seeds = sessions.stream().map(s -> s.settings.seed()).toList();
        List<String> ids = new ArrayList<>(first.results().keySet());
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append(", ").append(seeds.size()).append(" seeds\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Seeds %s: each seed is a complete run (synthetic data or folds, "
                        + "weights, shuffling, bootstrap), in `seed-N/` with its own report. Data of the first: `%s`, "
                        + "%d / %d / %d records. Recipe: %s. Test scores; the mean ± sd are over seeds. Written "
                        + "%s.%n%n", seeds, first.data.identity(), first.data.train().size(),
                first.data.val().size(), first.data.test().size(), first.settings.recipe().describe(),
                Instant.now()));

        md.append("## Paired differences of test macro AUC (method − baseline, same seed), points\n\n");
        List<Session.Comparison> comps = first.comparisons();
        List<Object> compJson = new ArrayList<>();
        List<String> compRows = new ArrayList<>();
        double[][] compValues = new double[comps.size()][];
        double[] compLo = new double[comps.size()];
        double[] compHi = new double[comps.size()];
        if (comps.isEmpty()) {
            md.append("This command compares no method with a baseline.\n\n");
        } else {
            md.append("| Comparison | per seed | mean ± sd | 95% t-interval (seeds) | pooled paired bootstrap 95% "
                    + "| seeds > 0 |\n|---|---|---|---|---|---|\n");
        }
        for (int c = 0; c < comps.size(); c++) {
            Session.Comparison comp = comps.get(c);
            double[] d = new double[sessions.size()];
            List<double[][]> a = new ArrayList<>();
            List<double[][]> b = new ArrayList<>();
            List<float[][]> labels = new ArrayList<>();
            int above = 0;
            for (int s = 0; s < sessions.size(); s++) {
                ModelResult m = sessions.get(s).results().get(comp.method());
                ModelResult base = sessions.get(s).results().get(comp.baseline());
                d[s] = m.test().macroAuc() - base.test().macroAuc();
                above += d[s] > 0 ? 1 : 0;
                a.add(m.probabilities());
                b.add(base.probabilities());
                labels.add(sessions.get(s).testLabels);
            }
            SeedStats.Summary sum = SeedStats.summarise(d);
            Stats.Interval pooled = Stats.pooledBootstrapDifference(a, b, labels, first.settings.bootstrap(),
                    first.settings.seed());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s ± %s | %s | %s | %d of %d |%n", comp.label(),
                    joinSigned(d), Report.signedPct(sum.mean()), pts(sum.sd()), interval(sum.lo(), sum.hi()),
                    interval(pooled.lo(), pooled.hi()), above, d.length));
            compRows.add(comp.label());
            compValues[c] = d;
            compLo[c] = sum.lo();
            compHi[c] = sum.hi();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("label", comp.label());
            j.put("method", comp.method());
            j.put("baseline", comp.baseline());
            j.put("perSeedDeltaMacroAuc", nums(d));
            j.put("mean", ModelResult.num(sum.mean()));
            j.put("sd", ModelResult.num(sum.sd()));
            j.put("tInterval95", java.util.Arrays.asList(ModelResult.num(sum.lo()),
                    ModelResult.num(sum.hi())));
            j.put("pooledPairedBootstrap95", java.util.Arrays.asList(ModelResult.num(pooled.lo()),
                    ModelResult.num(pooled.hi())));
            j.put("intervalAboveZero", sum.aboveZero());
            compJson.add(j);
        }
        if (!comps.isEmpty()) {
            md.append("\nA method beats its baseline only where the t-interval lies above 0. With n seeds the "
                    + "t-interval uses n − 1 degrees of freedom (t = ")
                    .append(seeds.size() > 1 ? String.format(Locale.ROOT, "%.2f", SeedStats.tQuantile975(
                            seeds.size() - 1)) : "n/a").append(" for ").append(seeds.size()).append(" seeds); the "
                    + "pooled bootstrap resamples the test records of every seed's run and averages the "
                    + "differences, so it shows the test-set part of the uncertainty only.\n\n");
        }

        md.append("## Every model, mean ± sd over seeds (test split), %\n\n| Model | macro AUC | per seed | "
                + "accuracy | macro F1 |\n|---|---|---|---|---|\n");
        List<Object> modelJson = new ArrayList<>();
        List<String> modelRows = new ArrayList<>();
        double[][] aucs = new double[ids.size()][];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            double[] auc = new double[sessions.size()];
            double[] acc = new double[sessions.size()];
            double[] f1 = new double[sessions.size()];
            for (int s = 0; s < sessions.size(); s++) {
                ModelResult r = sessions.get(s).results().get(id);
                auc[s] = r.test().macroAuc();
                acc[s] = r.test().accuracy();
                f1[s] = r.test().macroF1();
            }
            String label = first.results().get(id).label();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", label, meanSd(auc), join(auc),
                    meanSd(acc), meanSd(f1)));
            modelRows.add(label);
            aucs[i] = auc;
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("id", id);
            j.put("label", label);
            j.put("perSeed", perSeedJson(seeds, auc, acc, f1));
            j.put("macroAuc", summaryJson(auc));
            j.put("accuracy", summaryJson(acc));
            j.put("macroF1", summaryJson(f1));
            modelJson.add(j);
        }
        md.append('\n');

        List<org.knowm.xchart.XYChart> panels = new ArrayList<>();
        panels.add(Plots.seedPanel("test macro AUC per seed", "test macro AUC", modelRows, aucs, null, null, seeds,
                Double.NaN));
        if (!comps.isEmpty()) {
            panels.add(Plots.seedPanel("paired difference per seed (bar: 95% t-interval)",
                    "Δ test macro AUC (method − baseline)", compRows, compValues, compLo, compHi, seeds, 0.0));
        }
        Plots.grid(out.resolve("seeds.png"), panels, 1);
        md.append("## Per-seed points\n\n![per-seed macro AUC and paired differences](seeds.png)\n\n");
        md.append("## Runs\n\n");
        for (Session s : sessions) {
            md.append("- seed ").append(s.settings.seed()).append(": `")
                    .append(out.relativize(s.out.resolve("report.md"))).append("`\n");
        }

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("command", command);
        root.put("seeds", seeds);
        root.put("settings", first.settings);
        root.put("recipe", first.settings.recipe().values());
        root.put("comparisons", compJson);
        root.put("models", modelJson);
        AtomicFiles.writeString(out.resolve("results.json"), Session.GSON.toJson(root));
        AtomicFiles.writeString(out.resolve("report.md"), md.toString());
    }

    private static String meanSd(double[] v) {
        SeedStats.Summary s = SeedStats.summarise(v);
        return Report.pct(s.mean()) + " ± " + pts(s.sd());
    }

    private static String pts(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static String interval(double lo, double hi) {
        return Double.isNaN(lo) ? "n/a" : Report.signedPct(lo) + " to " + Report.signedPct(hi);
    }

    private static String join(double[] v) {
        List<String> p = new ArrayList<>();
        for (double x : v) {
            p.add(Report.pct(x));
        }
        return String.join(", ", p);
    }

    private static String joinSigned(double[] v) {
        List<String> p = new ArrayList<>();
        for (double x : v) {
            p.add(Report.signedPct(x));
        }
        return String.join(", ", p);
    }

    private static List<Double> nums(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(ModelResult.num(x));
        }
        return out;
    }

    private static Map<String, Object> summaryJson(double[] v) {
        SeedStats.Summary s = SeedStats.summarise(v);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", ModelResult.num(s.mean()));
        m.put("sd", ModelResult.num(s.sd()));
        return m;
    }

    private static List<Object> perSeedJson(List<Long> seeds, double[] auc, double[] acc, double[] f1) {
        List<Object> out = new ArrayList<>();
        for (int s = 0; s < seeds.size(); s++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seeds.get(s));
            m.put("macroAuc", ModelResult.num(auc[s]));
            m.put("accuracy", ModelResult.num(acc[s]));
            m.put("macroF1", ModelResult.num(f1[s]));
            out.add(m);
        }
        return out;
    }
}
