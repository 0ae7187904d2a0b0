package dev.mvkt.samples;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.core.Teacher;
import dev.mvkt.datasets.EcgDatasets;
import dev.mvkt.datasets.SyntheticEcg;

import dev.mvkt.samples.cli.SeedStats;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The README's first command: on the embedded synthetic dataset, trains a 12-lead teacher, a lead-I baseline student
 * (BCE only) and a lead-I MVKT student (BCE + MKD + CLT), and prints the paper's Table 2 layout for them. Then the
 * same students with the labels of a stratified eighth of the training records only: the baseline on that eighth, for
 * the same epochs and for eight times as many (as many steps as the next), and MVKT on every training record, the
 * other seven eighths without labels (issue 13: the one setting with a reliable gain over the same-epochs baseline on
 * this data, which the as-many-steps baseline mostly closes; docs/results.md).
 *
 * <p>Options: {@code --seed N} (default 0), or {@code --seeds 0,1,2} (one run per seed, then the mean ± sd and the
 * per-seed paired differences with their 95% t-intervals), {@code --epochs N} (default 10), {@code --width N}
 * (ResNet1d_wang channels, default 32), {@code --train N --val N --test N} (default 2000/500/1000), {@code
 * --few-labels F} (the labelled fraction of the last two rows, default 0.125; 0 leaves them out), {@code --out DIR}
 * (where the students are saved, default {@code mvkt-out}).
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        List<Long> seeds = new ArrayList<>();
        for (String v : o.getOrDefault("seeds", o.getOrDefault("seed", "0")).split(",")) {
            seeds.add(Long.parseLong(v.trim()));
        }
        int epochs = Integer.parseInt(o.getOrDefault("epochs", "10"));
        int width = Integer.parseInt(o.getOrDefault("width", "32"));
        int train = Integer.parseInt(o.getOrDefault("train", "2000"));
        int val = Integer.parseInt(o.getOrDefault("val", "500"));
        int test = Integer.parseInt(o.getOrDefault("test", "1000"));
        double few = Double.parseDouble(o.getOrDefault("few-labels", "0.125"));
        if (!(few >= 0 && few < 1)) {
            throw new IllegalArgumentException("--few-labels must be in [0, 1) (0: leave those rows out), was " + few);
        }
        Path out = Path.of(o.getOrDefault("out", "mvkt-out"));
        PrintStream p = System.out;
        long t0 = System.nanoTime();
        Map<String, double[]> auc = new LinkedHashMap<>();
        for (int k = 0; k < seeds.size(); k++) {
            Map<String, Evaluation> rows = run(seeds.get(k), epochs, width, train, val, test, few,
                    seeds.size() == 1 ? out : out.resolve("seed-" + seeds.get(k)), p);
            for (Map.Entry<String, Evaluation> e : rows.entrySet()) {
                auc.computeIfAbsent(e.getKey(), x -> new double[seeds.size()])[k] = e.getValue().macroAuc();
            }
        }
        if (seeds.size() > 1) {
            p.printf(Locale.ROOT, "%nAcross seeds %s (test macro AUC, %%, mean ± sd):%n", seeds);
            for (Map.Entry<String, double[]> e : auc.entrySet()) {
                SeedStats.Summary s = SeedStats.summarise(e.getValue());
                p.printf(Locale.ROOT, "  %-20s %5.1f ± %.1f%n", e.getKey(), 100 * s.mean(), 100 * s.sd());
            }
            paired(p, "MVKT - baseline", auc.get(MVKT), auc.get(BASELINE));
            if (few > 0) {
                String[] r = fewRows(few);
                paired(p, "MVKT (few labels, rest unlabelled) - baseline (few labels, as many epochs)",
                        auc.get(r[2]), auc.get(r[0]));
                paired(p, "MVKT (few labels, rest unlabelled) - baseline (few labels, as many steps)",
                        auc.get(r[2]), auc.get(r[1]));
            }
        }
        p.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static final String TEACHER = "Teacher (12 leads)";
    private static final String BASELINE = "1-lead (I, BCE)";
    private static final String MVKT = "1-lead MVKT (I)";

    /** The few-label rows' names for labelled fraction {@code few}, e.g. "1/8: BCE", "1/8: BCE, 8x epochs". */
    private static String[] fewRows(double few) {
        double inv = 1 / few;
        String frac = Math.abs(inv - Math.round(inv)) < 1e-9 ? "1/" + Math.round(inv) : String.valueOf(few);
        return new String[]{frac + ": BCE", frac + ": BCE, " + Math.round(inv) + "x epochs",
                frac + ": MVKT + unlab."};
    }

    /** The per-seed paired differences a − b of test macro AUC, their mean and 95% t-interval. */
    private static void paired(PrintStream p, String what, double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = a[k] - b[k];
        }
        SeedStats.Summary s = SeedStats.summarise(d);
        p.printf(Locale.ROOT, "%s, per seed: %s; mean %+.2f points, 95%% t-interval %+.2f to %+.2f (%s)%n", what,
                java.util.Arrays.toString(java.util.Arrays.stream(d).map(x -> Math.round(1000 * x) / 10.0)
                        .toArray()), 100 * s.mean(), 100 * s.lo(), 100 * s.hi(), s.aboveZero()
                        ? "a reliable gain at these settings" : "no reliable difference at these settings");
    }

    /** One seed's demo: data, three models, the tables; returns the test evaluations by row name. */
    private static Map<String, Evaluation> run(long seed, int epochs, int width, int train, int val, int test,
                                               double few, Path out, PrintStream p) throws Exception {
        long t0 = System.nanoTime();
        EcgDataset data = SyntheticEcg.builder().optSeed(seed).optSizes(train, val, test).build();
        p.printf(Locale.ROOT, "data: %s (%.1f s)%n", data.identity(), (System.nanoTime() - t0) / 1e9);
        Backbone backbone = Backbones.resnet1dWangBuilder().optWidth(width).build();

        int steps = few > 0 ? 6 : 3;
        p.printf(Locale.ROOT, "== 1/%d teacher: 12 leads, BCE%n", steps);
        Teacher teacher = Mvkt.teacher(backbone).optEpochs(epochs).optSeed(seed).trainOn(data);
        p.printf(Locale.ROOT, "== 2/%d baseline student: lead I, BCE%n", steps);
        Student baseline = Mvkt.student(backbone).optLead(Lead.I).optEpochs(epochs).optSeed(seed).trainOn(data);
        p.printf(Locale.ROOT, "== 3/%d MVKT student: lead I, BCE + 1.0 MKD + 0.8 CLT, teacher frozen%n", steps);
        Student mvkt = teacher.distillTo(backbone).optLead(Lead.I).optEpochs(epochs).optSeed(seed).trainOn(data);

        Files.createDirectories(out);
        mvkt.save(out.resolve("student-lead-I.mvkt"));

        Map<String, Evaluation> rows = new LinkedHashMap<>();
        rows.put(TEACHER, teacher.evaluate(data.test()));
        rows.put(BASELINE, baseline.evaluate(data.test()));
        rows.put(MVKT, mvkt.evaluate(data.test()));
        if (few > 0) {
            EcgDataset fewLabels = EcgDatasets.labelFraction(data, few, seed);
            EcgDataset restUnlabelled = EcgDatasets.hideLabels(data, few, seed);
            // As many steps as the MVKT student takes over every record: a baseline trained for the same epochs on
            // an eighth of the records would take an eighth of the steps, and lose points to that alone
            // (docs/results.md, "BCE, equal steps").
            int fewEpochs = (int) Math.round(epochs / few);
            p.printf(Locale.ROOT, "== 4/6 baseline student, few labels: lead I, BCE on the %d labelled records, %d "
                    + "epochs%n", fewLabels.train().size(), epochs);
            Student fewShort = Mvkt.student(backbone).optLead(Lead.I).optEpochs(epochs).optSeed(seed)
                    .trainOn(fewLabels);
            p.printf(Locale.ROOT, "== 5/6 baseline student, few labels: lead I, BCE on the %d labelled records, %d "
                    + "epochs (as many steps as 6/6)%n", fewLabels.train().size(), fewEpochs);
            Student fewBaseline = Mvkt.student(backbone).optLead(Lead.I).optEpochs(fewEpochs).optSeed(seed)
                    .trainOn(fewLabels);
            p.printf(Locale.ROOT, "== 6/6 MVKT student, few labels: lead I, all %d records, %d of them labelled "
                    + "(BCE there; MKD and CLT on every record)%n", restUnlabelled.train().size(),
                    restUnlabelled.train().labelledCount());
            Student fewMvkt = teacher.distillTo(backbone).optLead(Lead.I).optEpochs(epochs).optSeed(seed)
                    .trainOn(restUnlabelled);
            fewMvkt.save(out.resolve("student-lead-I-few-labels.mvkt"));
            String[] r = fewRows(few);
            rows.put(r[0], fewShort.evaluate(data.test()));
            rows.put(r[1], fewBaseline.evaluate(data.test()));
            rows.put(r[2], fewMvkt.evaluate(data.test()));
        }
        p.println();
        p.printf(Locale.ROOT, "Test split, %d records, ResNet1d_wang width %d, %d epochs, seed %d%n",
                data.test().size(), width, epochs, seed);
        p.println(Tables.table2(rows));
        p.println(Tables.perClassF1(rows));
        if (few > 0) {
            String[] r = fewRows(few);
            p.printf(Locale.ROOT, "%s: the labels of a stratified %s of the %d training records only. The BCE "
                    + "baselines train on those for %d epochs, or for %d (as many steps as the MVKT student, which "
                    + "trains on every record, the rest without labels: MKD and CLT on all, BCE where labelled)%n",
                    r[0].substring(0, r[0].indexOf(':')), r[0].substring(0, r[0].indexOf(':')), train, epochs,
                    Math.round(epochs / few));
        }
        p.printf(Locale.ROOT, "MVKT - baseline macro AUC: %+.4f (one seed: an anecdote; --seeds 0,1,2 for a paired "
                + "interval)%n", rows.get(MVKT).macroAuc() - rows.get(BASELINE).macroAuc());
        if (few > 0) {
            String[] r = fewRows(few);
            p.printf(Locale.ROOT, "MVKT - baseline macro AUC, few labels: %+.4f against the baseline of as many "
                    + "epochs, %+.4f against the one of as many steps (one seed)%n",
                    rows.get(r[2]).macroAuc() - rows.get(r[0]).macroAuc(),
                    rows.get(r[2]).macroAuc() - rows.get(r[1]).macroAuc());
        }
        p.printf(Locale.ROOT, "student saved to %s; %.1f s%n", out.resolve("student-lead-I.mvkt"),
                (System.nanoTime() - t0) / 1e9);
        return rows;
    }

    static Map<String, String> parse(String[] args) {
        // Maven hands "-Ddemo.args=..." over as one argument, so split on white space.
        java.util.List<String> words = new java.util.ArrayList<>();
        for (String a : args) {
            for (String w : a.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String a = words.get(i);
            if (!a.startsWith("--") || i + 1 >= words.size()) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + a + "'");
            }
            o.put(a.substring(2), words.get(++i));
        }
        return o;
    }
}
