package dev.mvkt.samples.cli;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Lead;
import dev.mvkt.core.AtomicFiles;
import dev.mvkt.core.MvktModel;
import dev.mvkt.losses.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mvkt experiment visibility}: how much of each finding a single lead carries, measured. For each lead, a
 * BCE model reads that lead alone; its per-class AUC is what any single-lead method could hope to reach on it with
 * that much labelled data. Several training seeds ({@code --model-seeds}) give a mean and a spread, and a second,
 * smaller training set ({@code --compare-train}, synthetic data only: its leading records) shows what more labels
 * buy, which is the room a method like MVKT has to work in.
 */
@Command(name = "visibility", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = MvktCli.Version.class,
        description = {"The visibility map: per single lead, a BCE model (no teacher), and its per-class AUC on the "
                + "validation and test splits, as a leads x classes table and visibility.png. Use a large --train "
                + "(e.g. 10x the default) for the benchmark's ground truth of how much each lead can carry.",
                "--model-seeds trains each lead once per listed seed (the data stay those of --seed) and reports "
                        + "mean and sd; --compare-train N adds the same models on the first N training records "
                        + "(synthetic data), for the gain from more labels; --with-teacher adds the 12-lead "
                        + "teacher as a reference row."})
final class Visibility extends Experiments.Base {
    @Option(names = "--leads", defaultValue = "all", paramLabel = "LIST",
            description = "Comma-separated leads (e.g. I,II,V1) or 'all'. Default: ${DEFAULT-VALUE}.")
    String leads;

    @Option(names = "--model-seeds", paramLabel = "LIST",
            description = "Comma-separated training seeds, one model per lead and seed (e.g. 0,1,2). "
                    + "Default: --seed alone.")
    String modelSeeds;

    @Option(names = "--compare-train", defaultValue = "0", paramLabel = "N",
            description = "Synthetic data only: also train every model on the first N training records "
                    + "(N < --train; the same validation and test records), and report the gain. 0: none. "
                    + "Default: ${DEFAULT-VALUE}.")
    int compareTrain;

    @Option(names = "--with-teacher", description = "Also train the 12-lead teacher (BCE), as a reference row.")
    boolean withTeacher;

    @Override
    void validate() {
        super.validate();
        Options.parseLeads(leads);
        seeds();
        Options.positive("--compare-train", compareTrain, 0);
        if (compareTrain > 0) {
            if (data.data.kind() != DataSpec.Kind.SYNTHETIC) {
                throw new IllegalArgumentException("--compare-train needs --data synthetic (it regenerates the "
                        + "leading training records)");
            }
            if (compareTrain < 2 || compareTrain >= data.train) {
                throw new IllegalArgumentException("--compare-train must be in [2, --train), was " + compareTrain
                        + " with --train " + data.train);
            }
        }
    }

    List<Long> seeds() {
        if (modelSeeds == null || modelSeeds.isBlank()) {
            return List.of(data.seed);
        }
        List<Long> out = new ArrayList<>();
        for (String t : modelSeeds.split(",")) {
            long v;
            try {
                v = Long.parseLong(t.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--model-seeds: '" + t.trim() + "' is not an integer");
            }
            if (out.contains(v)) {
                throw new IllegalArgumentException("--model-seeds: " + v + " is listed twice");
            }
            out.add(v);
        }
        return out;
    }

    @Override
    String title() {
        return "Visibility map: per-class AUC of a single-lead BCE model per lead (" + studentBackbone() + ")";
    }

    /** One training-set size: its data, and per row (lead or teacher) and seed the models' AUCs. */
    private static final class Arm {
        final String name;
        final EcgDataset data;
        /** row label, then per seed: per class AUC (val, test). */
        final Map<String, List<double[][]>> auc = new LinkedHashMap<>();

        Arm(String name, EcgDataset data) {
            this.name = name;
            this.data = data;
        }
    }

    @Override
    void run(Session s, Report r) throws IOException {
        List<Lead> list = Options.parseLeads(leads);
        List<Long> seeds = seeds();
        List<String> classes = s.data.labels().names();
        List<Arm> arms = new ArrayList<>();
        arms.add(new Arm("full", s.data));
        if (compareTrain > 0) {
            arms.add(new Arm("compare", data.data.load(data.seed, compareTrain, data.val, data.test)));
        }
        List<String> figure = new ArrayList<>();
        for (Arm arm : arms) {
            String tag = arm.name.equals("full") ? "" : "-n" + arm.data.train().size();
            for (long seed : seeds) {
                // One session per seed and size: its settings carry the training seed, and its models land in
                // the same models/ folder under ids that name both.
                Settings st = s.settings.withSeed(seed);
                Session one = seed == s.settings.seed() && arm.name.equals("full") ? s
                        : new Session(s.out, arm.data, st, MvktCli.log);
                String suffix = tag + (seeds.size() > 1 || seed != data.seed ? "-s" + seed : "");
                if (withTeacher) {
                    String id = "teacher" + suffix;
                    MvktModel t = one.teacher(id, "Teacher (12 leads)" + label(arm, seed, seeds), train.backbone);
                    add(arm, "Teacher (12 leads)", aucs(t, arm.data, classes.size()));
                    copy(one, s, id);
                    figure.add(id);
                }
                for (Lead lead : list) {
                    String id = "visibility-" + lead.label() + suffix;
                    MvktModel m = one.student(id, "1-lead " + lead + label(arm, seed, seeds), studentBackbone(),
                            null, lead, Losses.bce());
                    add(arm, lead.label(), aucs(m, arm.data, classes.size()));
                    copy(one, s, id);
                    if (lead == list.get(0)) {
                        figure.add(id);
                    }
                }
            }
        }
        Arm full = arms.get(0);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Per-class AUC, %%, of a %s BCE model "
                        + "reading one lead (no teacher), %d training records, %s. Test split; the validation "
                        + "split's table follows. Higher means the lead carries more of the finding.%n%n",
                studentBackbone(), full.data.train().size(), seeds.size() == 1 ? "training seed " + seeds.get(0)
                        : "mean ± sd over training seeds " + seeds));
        md.append(table(full, classes, 1)).append('\n');
        md.append("Validation split:\n\n").append(table(full, classes, 0)).append('\n');
        if (arms.size() > 1) {
            Arm small = arms.get(1);
            md.append(String.format(Locale.ROOT, "With the first %d training records only (same validation and "
                    + "test records), test split:%n%n", small.data.train().size()));
            md.append(table(small, classes, 1)).append('\n');
            md.append(String.format(Locale.ROOT, "Gain from %d to %d training records, test macro AUC, points "
                    + "(mean over seeds):%n%n| Lead | %d records | %d records | gain |%n|---|---|---|---|%n",
                    small.data.train().size(), full.data.train().size(), small.data.train().size(),
                    full.data.train().size()));
            for (String row : full.auc.keySet()) {
                double a = mean(small.auc.get(row), classes.size(), 1);
                double b = mean(full.auc.get(row), classes.size(), 1);
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", row, Report.pct(a), Report.pct(b),
                        Report.signedPct(b - a)));
            }
            md.append('\n');
        }
        heatMap(s.out.resolve("visibility.png"), "Test AUC per lead and class, " + full.data.train().size()
                + " training records" + (seeds.size() > 1 ? ", mean of " + seeds.size() + " seeds" : ""), full,
                classes);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("classes", classes);
        json.put("modelSeeds", seeds);
        for (Arm arm : arms) {
            Map<String, Object> rows = new LinkedHashMap<>();
            arm.auc.forEach((row, perSeed) -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("valAucPerSeed", perSeed.stream().map(a -> nums(a[0])).toList());
                one.put("testAucPerSeed", perSeed.stream().map(a -> nums(a[1])).toList());
                one.put("testMacroAucMean", ModelResult.num(mean(perSeed, classes.size(), 1)));
                one.put("valMacroAucMean", ModelResult.num(mean(perSeed, classes.size(), 0)));
                rows.put(row, one);
            });
            json.put("train" + arm.data.train().size(), rows);
        }
        r.figureModels(figure);
        r.section("Visibility map", md.toString()).image("test AUC per lead and class", "visibility.png")
                .json("visibility", json);
    }

    private static String label(Arm arm, long seed, List<Long> seeds) {
        String n = arm.name.equals("full") ? "" : ", " + arm.data.train().size() + " records";
        return n + (seeds.size() > 1 ? ", seed " + seed : "");
    }

    private static void copy(Session from, Session to, String id) {
        if (from != to) {
            to.adopt(id, from.results().get(id));
        }
    }

    private static void add(Arm arm, String row, double[][] aucs) {
        arm.auc.computeIfAbsent(row, k -> new ArrayList<>()).add(aucs);
    }

    /** Per class AUC on validation ([0]) and test ([1]), and macro AUC as the last entry of each. */
    private static double[][] aucs(MvktModel m, EcgDataset d, int classes) {
        double[][] out = new double[2][];
        for (int k = 0; k < 2; k++) {
            var split = k == 0 ? d.val() : d.test();
            double[][] p = m.probabilities(split);
            float[][] y = split.labelMatrix();
            int[] rows = Stats.all(y.length);
            out[k] = new double[classes + 1];
            for (int c = 0; c < classes; c++) {
                out[k][c] = Stats.auc(p, y, c, rows);
            }
            out[k][classes] = Stats.macroAuc(p, y, rows);
        }
        return out;
    }

    private static double mean(List<double[][]> perSeed, int column, int split) {
        double sum = 0;
        for (double[][] a : perSeed) {
            sum += a[split][column];
        }
        return sum / perSeed.size();
    }

    private static double sd(List<double[][]> perSeed, int column, int split) {
        if (perSeed.size() < 2) {
            return Double.NaN;
        }
        double m = mean(perSeed, column, split);
        double ss = 0;
        for (double[][] a : perSeed) {
            ss += (a[split][column] - m) * (a[split][column] - m);
        }
        return Math.sqrt(ss / (perSeed.size() - 1));
    }

    private static String table(Arm arm, List<String> classes, int split) {
        StringBuilder md = new StringBuilder("| Lead |");
        classes.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append(" macro |\n|---|").append("---|".repeat(classes.size() + 1)).append('\n');
        arm.auc.forEach((row, perSeed) -> {
            md.append("| ").append(row).append(" |");
            for (int c = 0; c <= classes.size(); c++) {
                double sd = sd(perSeed, c, split);
                md.append(' ').append(Report.pct(mean(perSeed, c, split)))
                        .append(Double.isNaN(sd) ? "" : " ± " + String.format(Locale.ROOT, "%.1f", 100 * sd))
                        .append(" |");
            }
            md.append('\n');
        });
        return md.toString();
    }

    private static List<Double> nums(double[] a) {
        List<Double> out = new ArrayList<>();
        for (double v : a) {
            out.add(ModelResult.num(v));
        }
        return out;
    }

    /**
     * The map as a heat map: rows are leads (and the teacher), columns the classes and macro AUC, each cell shaded
     * from white (0.5, chance) to dark blue (1.0) and labelled with its value.
     */
    private static void heatMap(Path png, String title, Arm arm, List<String> classes) throws IOException {
        int cellW = 90;
        int cellH = 30;
        int left = 170;
        int top = 70;
        List<String> cols = new ArrayList<>(classes);
        cols.add("macro");
        List<String> rows = new ArrayList<>(arm.auc.keySet());
        int w = left + cellW * cols.size() + 20;
        int h = top + cellH * rows.size() + 40;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < cols.size(); c++) {
            String t = cols.get(c);
            g.setColor(Color.BLACK);
            g.drawString(t, left + c * cellW + (cellW - fm.stringWidth(t)) / 2, top - 10);
        }
        for (int rIdx = 0; rIdx < rows.size(); rIdx++) {
            List<double[][]> perSeed = arm.auc.get(rows.get(rIdx));
            int y = top + rIdx * cellH;
            g.setColor(Color.BLACK);
            g.drawString(rows.get(rIdx), 10, y + cellH / 2 + fm.getAscent() / 2 - 2);
            for (int c = 0; c < cols.size(); c++) {
                double v = mean(perSeed, c, 1);
                double t = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, (v - 0.5) / 0.5));
                Color fill = Double.isNaN(v) ? Color.LIGHT_GRAY : new Color((int) (255 - 225 * t),
                        (int) (255 - 175 * t), (int) (255 - 75 * t));
                int x = left + c * cellW;
                g.setColor(fill);
                g.fillRect(x, y, cellW, cellH);
                g.setColor(Color.GRAY);
                g.setStroke(new BasicStroke(1));
                g.drawRect(x, y, cellW, cellH);
                String text = Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
                g.setColor(t > 0.6 ? Color.WHITE : Color.BLACK);
                g.drawString(text, x + (cellW - fm.stringWidth(text)) / 2, y + cellH / 2 + fm.getAscent() / 2 - 2);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("shade: AUC from 0.5 (white, chance) to 1.0 (dark blue)", 10, h - 14);
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }
}
