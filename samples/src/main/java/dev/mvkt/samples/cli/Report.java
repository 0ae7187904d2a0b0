package dev.mvkt.samples.cli;

import dev.mvkt.core.AtomicFiles;
import dev.mvkt.core.CalibrationError;
import dev.mvkt.api.EpochReport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's {@code report.md} and {@code results.json}: the experiment's own tables first (in the paper's layout),
 * then what every report has: all models with bootstrap CIs, per-class F1 and AUC (the paper's Tables 4–5),
 * ROC curves, calibration errors before and after calibration with reliability diagrams, training curves, and
 * where each model and its provenance were saved. Every number in the Markdown is also in the JSON.
 */
final class Report {
    private final String title;
    private final String command;
    private final Session session;
    private final StringBuilder body = new StringBuilder();
    private final Map<String, Object> json = new LinkedHashMap<>();
    private List<String> figureModels;

    Report(String title, String command, Session session) {
        this.title = title;
        this.command = command;
        this.session = session;
    }

    Report section(String heading, String markdown) {
        body.append("## ").append(heading).append("\n\n").append(markdown.strip()).append("\n\n");
        return this;
    }

    Report image(String caption, String file) {
        body.append("![").append(caption).append("](").append(file).append(")\n\n");
        return this;
    }

    /**
     * Restricts the ROC and training-curve figures to these models (by id): with one model per lead, 25 curves
     * per panel would show nothing.
     */
    Report figureModels(List<String> ids) {
        figureModels = List.copyOf(ids);
        return this;
    }

    Report json(String key, Object value) {
        json.put(key, value);
        return this;
    }

    /** Writes the plots, {@code report.md} and {@code results.json} into the output folder. */
    void write() throws IOException {
        Path out = session.out;
        Map<String, ModelResult> results = session.results();
        List<String> classes = session.data.labels().names();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        Settings s = session.settings;
        md.append(String.format(Locale.ROOT, "Data: `%s`; splits %d / %d / %d records (train / val / test); "
                        + "%d epochs (kept: best validation macro AUC), batch %d, learning rate %s, seed %d%s. "
                        + "Test scores at thresholds %s; 95%% CIs from %d bootstrap resamples "
                        + "of the test records (seed %d). Recipe: %s. Written %s.%n%n",
                session.data.identity(), session.data.train().size(), session.data.val().size(),
                session.data.test().size(), s.epochs(), s.batchSize(), s.learningRate(), s.seed(),
                s.earlyStopping() > 0 ? ", early stopping after " + s.earlyStopping() + " epochs without gain" : "",
                s.recipe().thresholds() == dev.mvkt.core.Thresholds.FIXED_HALF ? "fixed at 0.5"
                        : "chosen on validation", s.bootstrap(), s.seed(), s.recipe().describe(), Instant.now()));
        md.append(body);
        if (!results.isEmpty()) {
            md.append("## All models (test split)\n\n").append(modelsTable(results.values())).append('\n');
            md.append("## Per-class F1 (the paper's Tables 4–5), %\n\n")
                    .append(perClass(results.values(), classes, true)).append('\n');
            md.append("## Per-class AUC, %\n\n").append(perClass(results.values(), classes, false)).append('\n');
            Map<String, double[][]> probs = new LinkedHashMap<>();
            Map<String, List<EpochReport>> histories = new LinkedHashMap<>();
            results.values().stream().filter(r -> figureModels == null || figureModels.contains(r.id()))
                    .forEach(r -> {
                        probs.put(r.label(), r.probabilities());
                        histories.put(r.label(), r.history());
                    });
            Plots.roc(out.resolve("roc.png"), classes, probs, session.testLabels);
            md.append("## ROC curves per class (test split)\n\n![ROC curves](roc.png)\n\n");
            md.append("## Calibration: expected calibration error (ECE), %\n\n").append(calibrationTable(
                    results.values())).append('\n');
            md.append("### Per-class ECE, % (before → after calibration)\n\n")
                    .append(calibrationPerClass(results.values(), classes)).append('\n');
            Map<String, double[][]> uncalibrated = new LinkedHashMap<>();
            results.values().stream().filter(r -> figureModels == null || figureModels.contains(r.id()))
                    .forEach(r -> uncalibrated.put(r.label(), r.calibration().testUncalibrated()));
            Plots.reliability(out.resolve("reliability.png"), uncalibrated, probs, session.testLabels);
            md.append("![reliability diagrams before and after calibration (test split)](reliability.png)\n\n");
            if (histories.values().stream().anyMatch(h -> !h.isEmpty())) {
                Plots.trainingCurves(out.resolve("training.png"), histories);
                md.append("## Training curves\n\n![training loss and validation AUC](training.png)\n\n");
            }
            md.append("## Models and provenance\n\n| model | file | provenance |\n|---|---|---|\n");
            for (ModelResult r : results.values()) {
                md.append("| ").append(r.label()).append(" | `").append(rel(out, r.modelFile())).append("` | ")
                        .append(r.provenanceFile() == null ? "in the model file"
                                : "`" + rel(out, r.provenanceFile()) + "`").append(" |\n");
            }
            md.append('\n');
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("command", command);
        root.put("data", Map.of("identity", session.data.identity(), "train", session.data.train().size(),
                "val", session.data.val().size(), "test", session.data.test().size(), "classes", classes));
        root.put("settings", s);
        root.putAll(json);
        List<Object> models = new ArrayList<>();
        results.values().forEach(r -> models.add(r.toJson()));
        root.put("models", models);
        AtomicFiles.writeString(out.resolve("results.json"), Session.GSON.toJson(root));
        AtomicFiles.writeString(out.resolve("report.md"), md.toString());
    }

    private static String rel(Path out, String file) {
        try {
            return out.toAbsolutePath().relativize(Path.of(file).toAbsolutePath()).toString();
        } catch (IllegalArgumentException e) {
            return file;
        }
    }

    static String modelsTable(Iterable<ModelResult> results) {
        StringBuilder sb = new StringBuilder("| Model | leads | loss | macro AUC (95% CI) | accuracy | macro F1 | "
                + "best epoch | val AUC |\n|---|---|---|---|---|---|---|---|\n");
        for (ModelResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.label(),
                    r.leads().split(",").length == 12 ? "12" : r.leads(), r.loss() == null ? "" : r.loss(),
                    auc(r), pct(r.test().accuracy()), pct(r.test().macroF1()),
                    r.bestEpoch() > 0 ? Integer.toString(r.bestEpoch()) : "", pct(r.bestValAuc())));
        }
        return sb.toString();
    }

    /**
     * ECE before and after each model's temperature calibration, on validation (where the temperatures were fitted)
     * and test, with the temperatures.
     */
    static String calibrationTable(Iterable<ModelResult> results) {
        StringBuilder sb = new StringBuilder("ECE: the probabilities of all classes in " + CalibrationError.BINS
                + " equal-width bins, the mean over bins (weighted by their share of the (probability, label) pairs) "
                + "of |fraction positive − mean probability|; 0 is perfectly calibrated. \"Before\" is the "
                + "network's plain sigmoid, \"after\" applies the per-class temperatures T fitted on validation "
                + "(sigmoid(logit / T); T = 1 leaves a class as it was). AUC is unchanged by calibration.\n\n"
                + "| Model | val ECE before | val ECE after | test ECE before | test ECE after | temperatures |\n"
                + "|---|---|---|---|---|---|\n");
        for (ModelResult r : results) {
            CalibrationSummary c = r.calibration();
            StringBuilder t = new StringBuilder();
            for (double v : c.temperatures()) {
                t.append(t.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.label(),
                    pct(c.val().before()), pct(c.val().after()), pct(c.test().before()), pct(c.test().after()), t));
        }
        return sb.toString();
    }

    /** Per-class ECE, "before → after", a row per model and split. */
    static String calibrationPerClass(Iterable<ModelResult> results, List<String> classes) {
        StringBuilder sb = new StringBuilder("| Model | split |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String c : classes) {
            sb.append(' ').append(c).append(" |");
            rule.append("---|");
        }
        sb.append('\n').append(rule).append('\n');
        for (ModelResult r : results) {
            for (String split : List.of("val", "test")) {
                CalibrationSummary.Ece e = split.equals("val") ? r.calibration().val() : r.calibration().test();
                sb.append("| ").append(r.label()).append(" | ").append(split).append(" |");
                for (int c = 0; c < classes.size(); c++) {
                    sb.append(' ').append(pct(e.beforePerClass()[c])).append(" → ").append(pct(e.afterPerClass()[c]))
                            .append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String perClass(Iterable<ModelResult> results, List<String> classes, boolean f1) {
        StringBuilder sb = new StringBuilder("| Model |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String c : classes) {
            sb.append(' ').append(c).append(" |");
            rule.append("---|");
        }
        sb.append(" macro |\n");
        rule.append("---|\n");
        sb.append(rule);
        for (ModelResult r : results) {
            sb.append("| ").append(r.label()).append(" |");
            for (int c = 0; c < classes.size(); c++) {
                sb.append(' ').append(pct(f1 ? r.test().f1(c) : r.test().auc(c))).append(" |");
            }
            sb.append(' ').append(pct(f1 ? r.test().macroF1() : r.test().macroAuc())).append(" |\n");
        }
        return sb.toString();
    }

    /** "93.2 (90.1–95.0)": macro AUC in percent with its 95% CI. */
    static String auc(ModelResult r) {
        return pct(r.test().macroAuc()) + " (" + ci(r.aucCi()) + ")";
    }

    static String ci(Stats.Interval i) {
        return Double.isNaN(i.lo()) ? "n/a" : pct(i.lo()) + "–" + pct(i.hi());
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    static String signedPct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.1f", 100 * v);
    }
}
