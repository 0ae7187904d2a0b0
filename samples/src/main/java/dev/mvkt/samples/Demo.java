package dev.mvkt.samples;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.core.Teacher;
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
 * (BCE only) and a lead-I MVKT student (BCE + MKD + CLT), and prints the paper's Table 2 layout for them.
 *
 * <p>Options: {@code --seed N} (default 0), or {@code --seeds 0,1,2} (one run per seed, then the mean ± sd and the
 * per-seed paired difference MVKT − baseline with its 95% t-interval), {@code --epochs N} (default 10), {@code --width N} (ResNet1d_wang
 * channels, default 32), {@code --train N --val N --test N} (default 2000/500/1000), {@code --out DIR} (where the
 * student is saved, default {@code mvkt-out}).
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
        Path out = Path.of(o.getOrDefault("out", "mvkt-out"));
        PrintStream p = System.out;
        long t0 = System.nanoTime();
        Map<String, double[]> auc = new LinkedHashMap<>();
        for (int k = 0; k < seeds.size(); k++) {
            Map<String, Evaluation> rows = run(seeds.get(k), epochs, width, train, val, test,
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
            double[] d = new double[seeds.size()];
            for (int k = 0; k < d.length; k++) {
                d[k] = auc.get(MVKT)[k] - auc.get(BASELINE)[k];
            }
            SeedStats.Summary s = SeedStats.summarise(d);
            p.printf(Locale.ROOT, "MVKT - baseline, per seed: %s; mean %+.2f points, 95%% t-interval %+.2f to "
                            + "%+.2f (%s)%n", java.util.Arrays.toString(java.util.Arrays.stream(d)
                            .map(x -> Math.round(1000 * x) / 10.0).toArray()), 100 * s.mean(), 100 * s.lo(),
                    100 * s.hi(), s.aboveZero() ? "MVKT beats the baseline at these settings"
                            : "no reliable difference at these settings");
        }
        p.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static final String TEACHER = "Teacher (12 leads)";
    private static final String BASELINE = "1-lead (I, BCE)";
    private static final String MVKT = "1-lead MVKT (I)";

    /** One seed's demo: data, three models, the tables; returns the test evaluations by row name. */
    private static Map<String, Evaluation> run(long seed, int epochs, int width, int train, int val, int test,
                                               Path out, PrintStream p) throws Exception {
        long t0 = System.nanoTime();
        EcgDataset data = SyntheticEcg.builder().optSeed(seed).optSizes(train, val, test).build();
        p.printf(Locale.ROOT, "data: %s (%.1f s)%n", data.identity(), (System.nanoTime() - t0) / 1e9);
        Backbone backbone = Backbones.resnet1dWangBuilder().optWidth(width).build();

        p.println("== 1/3 teacher: 12 leads, BCE");
        Teacher teacher = Mvkt.teacher(backbone).optEpochs(epochs).optSeed(seed).trainOn(data);
        p.println("== 2/3 baseline student: lead I, BCE");
        Student baseline = Mvkt.student(backbone).optLead(Lead.I).optEpochs(epochs).optSeed(seed).trainOn(data);
        p.println("== 3/3 MVKT student: lead I, BCE + 1.0 MKD + 0.8 CLT, teacher frozen");
        Student mvkt = teacher.distillTo(backbone).optLead(Lead.I).optEpochs(epochs).optSeed(seed).trainOn(data);

        Files.createDirectories(out);
        mvkt.save(out.resolve("student-lead-I.mvkt"));

        Map<String, Evaluation> rows = new LinkedHashMap<>();
        rows.put(TEACHER, teacher.evaluate(data.test()));
        rows.put(BASELINE, baseline.evaluate(data.test()));
        rows.put(MVKT, mvkt.evaluate(data.test()));
        p.println();
        p.printf(Locale.ROOT, "Test split, %d records, ResNet1d_wang width %d, %d epochs, seed %d%n",
                data.test().size(), width, epochs, seed);
        p.println(Tables.table2(rows));
        p.println(Tables.perClassF1(rows));
        p.printf(Locale.ROOT, "MVKT - baseline macro AUC: %+.4f (one seed: an anecdote; --seeds 0,1,2 for a paired "
                + "interval)%n", rows.get(MVKT).macroAuc() - rows.get(BASELINE).macroAuc());
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
