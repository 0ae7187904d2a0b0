package dev.mvkt.samples.cli;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.core.AtomicFiles;
import dev.mvkt.core.Pretrained;
import dev.mvkt.core.Teacher;
import dev.mvkt.datasets.EcgDatasets;
import dev.mvkt.datasets.SyntheticEcg;
import dev.mvkt.losses.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mvkt experiment fractions}: the paper's Figure 5 (Section 5.5) and one step past it. Per labelled fraction
 * of the training split: the BCE baseline and the MVKT student on that fraction, MVKT from a CLECG-style pretrained
 * encoder, and MVKT that also distils on the rest of the training records without their labels; BCE on every label
 * for reference. The teacher always learns from the whole labelled training split, as in the paper.
 */
@Command(name = "fractions", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = MvktCli.Version.class,
        description = {"Figure 5: test macro AUC against the labelled fraction of the training split. Rows per "
                + "fraction: BCE on the fraction, BCE and MVKT started from a CLECG-style encoder pretrained "
                + "without labels, MVKT on the fraction, MVKT on the fraction plus the rest of the training records "
                + "without labels (MKD and CLT on every record, BCE where a label exists); BCE on all labels for "
                + "reference. "
                + "The 12-lead teacher learns from every label. Writes fractions.png; with --seeds, the paired "
                + "differences of every method against BCE per fraction.",
                "Fractions are stratified, seeded subsets (--seed) of the training split."})
final class Fractions extends Experiments.Base {

    /** A row of Figure 5. */
    enum Method {
        BCE("bce", "BCE"),
        // Not one of the rows: it tells what pretraining gives without the teacher, so that MVKT + CLECG's
        // difference from BCE is not read as the teacher's alone.
        BCE_CLECG("bce-clecg", "BCE + CLECG init"),
        // Also not the issue's: BCE on the fraction for epochs / fraction epochs, as many steps as MVKT on every
        // training record takes, so that the unlabelled records' gain is not read off a longer training.
        BCE_STEPS("bce-steps", "BCE, equal steps"),
        MVKT("mvkt", "MVKT"),
        CLECG("clecg", "MVKT + CLECG init"),
        UNLABELLED("unlabelled", "MVKT + unlabelled records");

        final String id;
        final String label;

        Method(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    @Option(names = "--fractions", defaultValue = "0.125,0.25,0.5,1", paramLabel = "LIST",
            description = "Labelled fractions of the training split, each in (0, 1]. Default: ${DEFAULT-VALUE}.")
    String fractions;

    @Option(names = "--methods", defaultValue = "all", paramLabel = "LIST",
            description = "Comma-separated rows among bce, bce-clecg (BCE from the CLECG encoder, to tell "
                    + "pretraining's share from the teacher's), bce-steps (BCE for epochs / fraction epochs: as many "
                    + "steps as the unlabelled row), mvkt, clecg (MVKT from the CLECG encoder), unlabelled, or 'all'. "
                    + "BCE on all labels is always trained as the reference. Default: ${DEFAULT-VALUE}.")
    String methods;

    @Option(names = "--pretrain-data", paramLabel = "SPEC", converter = Options.DataConverter.class,
            description = {"Records CLECG pretrains on, without their labels: another dataset (its training split), "
                    + "e.g. ptbxl:PATH for a CPSC student, as the paper pretrains on PTB-XL. It must have the "
                    + "student's lead, sampling rate and window length.",
                    "Default: for synthetic data, the generator's unlabelled pool (--pool records, its own seed); "
                            + "for real data, the training split's records without their labels."})
    DataSpec pretrainData;

    @Option(names = "--pool", defaultValue = "2000", paramLabel = "N",
            description = "Synthetic data without --pretrain-data: records of the unlabelled pool CLECG pretrains "
                    + "on (same distribution, its own random stream; the students never see its labels). "
                    + "Default: ${DEFAULT-VALUE}.")
    int pool;

    @Option(names = "--pretrain-epochs", defaultValue = "10", paramLabel = "N",
            description = "CLECG pretraining epochs (the last is kept). Default: ${DEFAULT-VALUE}.")
    int pretrainEpochs;

    @Option(names = "--pretrain-batch", defaultValue = "64", paramLabel = "N",
            description = "CLECG pretraining records per step (two views each). Default: ${DEFAULT-VALUE}.")
    int pretrainBatch;

    @Option(names = "--ceiling", paramLabel = "AUC",
            description = "A reference line on fractions.png: e.g. the student lead's ceiling from "
                    + "'experiment visibility' with ten times the labels (as a fraction, e.g. 0.841); not retrained "
                    + "here.")
    Double ceiling;

    @Option(names = "--ceiling-label", defaultValue = "lead ceiling (10x labels)", paramLabel = "TEXT",
            description = "The legend of --ceiling. Default: ${DEFAULT-VALUE}.")
    String ceilingLabel;

    static double[] parseFractions(String text) {
        String[] parts = text.split(",");
        double[] f = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                f[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fractions: '" + parts[i].trim() + "' is not a number");
            }
            if (!(f[i] > 0 && f[i] <= 1)) {
                throw new IllegalArgumentException("--fractions: " + parts[i].trim() + " is outside (0, 1]");
            }
            for (int j = 0; j < i; j++) {
                if (f[j] == f[i]) {
                    throw new IllegalArgumentException("--fractions: " + parts[i].trim() + " is listed twice");
                }
            }
        }
        double[] sorted = f.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    static List<Method> parseMethods(String text) {
        return Options.parseChoices("--methods", text, List.of(Method.values()), m -> m.id);
    }

    @Override
    void validate() {
        super.validate();
        parseFractions(fractions);
        parseMethods(methods);
        Options.positive("--pool", pool, 2);
        Options.positive("--pretrain-epochs", pretrainEpochs, 1);
        Options.positive("--pretrain-batch", pretrainBatch, 2);
        if (ceiling != null && !(ceiling > 0 && ceiling <= 1)) {
            throw new IllegalArgumentException("--ceiling is a macro AUC in (0, 1], was " + ceiling);
        }
        if (student.alpha == 0 && student.beta == 0) {
            throw new IllegalArgumentException("--alpha and --beta are both 0, so every MVKT row would be BCE");
        }
    }

    @Override
    String title() {
        return "Figure 5: label fractions (" + studentBackbone() + ", lead " + student.lead + ")";
    }

    /** A fraction in model ids, as plain decimal text without trailing zeros: f0.125, f0.5, f1. */
    static String tag(double f) {
        return "f" + new java.math.BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
    }

    /** A row's model id at a fraction; BCE on every label is the one reference model. */
    static String id(Method m, double f) {
        return switch (m) {
            case BCE -> f == 1 ? BCE_ALL : "bce-" + tag(f);
            case BCE_CLECG -> "bce-clecg-" + tag(f);
            case BCE_STEPS -> "bce-steps-" + tag(f);
            case MVKT -> "mvkt-" + tag(f);
            case CLECG -> "mvkt-clecg-" + tag(f);
            case UNLABELLED -> "mvkt-unlabelled-" + tag(f);
        };
    }

    /** The model id of BCE on every label. */
    static final String BCE_ALL = "bce-all";

    @Override
    void run(Session s, Report r) throws IOException {
        Lead lead = student.lead;
        List<Lead> leads = List.of(lead);
        String sb = studentBackbone();
        double[] fr = parseFractions(fractions);
        List<Method> list = parseMethods(methods);
        long seed = s.settings.seed();
        Teacher t = s.teacher("teacher", "Teacher (12 leads, every label)", train.backbone);
        Pretrained pre = list.contains(Method.CLECG) || list.contains(Method.BCE_CLECG) ? pretrain(s, sb, leads)
                : null;
        int epochs = s.settings.epochs();
        // Every student after the teacher and the encoder is independent of the others: with --jobs they train side
        // by side, and the tables below wait for them (Session.results()).
        s.studentLater(BCE_ALL, "BCE, every label", sb, null, leads, Losses.bce(), s.data, null, epochs);
        for (double f : fr) {
            String frac = Plots.fractionLabel(f);
            EcgDataset labelled = f == 1 ? s.data : EcgDatasets.labelFraction(s.data, f, seed);
            for (Method m : list) {
                if (f == 1 && (m == Method.UNLABELLED || m == Method.BCE || m == Method.BCE_STEPS)) {
                    continue; // no record is left without its label; BCE on every label is trained above
                }
                String id = id(m, f);
                String label = m.label + ", " + frac + " of labels";
                if (m == Method.BCE_STEPS) {
                    int steps = (int) Math.round(epochs / f);
                    s.studentLater(id, label + " (" + steps + " epochs)", sb, null, leads, Losses.bce(), labelled,
                            null, steps);
                    if (list.contains(Method.BCE)) {
                        s.compare(m.label + " − BCE, " + frac + " of labels", id, id(Method.BCE, f));
                    }
                } else if (m == Method.BCE || m == Method.BCE_CLECG) {
                    s.studentLater(id, label, sb, null, leads, Losses.bce(), labelled, m == Method.BCE ? null : pre,
                            epochs);
                    if (m == Method.BCE_CLECG && list.contains(Method.BCE)) {
                        s.compare(m.label + " − BCE, " + frac + " of labels", id, id(Method.BCE, f));
                    }
                } else {
                    EcgDataset d = m == Method.UNLABELLED ? EcgDatasets.hideLabels(s.data, f, seed) : labelled;
                    s.studentLater(id, label, sb, t, leads, student.mvktLoss(s.settings), d,
                            m == Method.CLECG ? pre : null, epochs);
                    if (list.contains(Method.BCE)) {
                        s.compare(m.label + " − BCE, " + frac + " of labels", id, id(Method.BCE, f));
                    }
                    if (f < 1) {
                        s.compare(m.label + " (" + frac + " of labels) − BCE (every label)", id, BCE_ALL);
                    }
                    if (m == Method.UNLABELLED && list.contains(Method.BCE_STEPS)) {
                        s.compare(m.label + " − BCE (equal steps), " + frac + " of labels", id,
                                id(Method.BCE_STEPS, f));
                    }
                }
            }
            if (list.contains(Method.CLECG) && list.contains(Method.MVKT)) {
                s.compare("CLECG init: MVKT + CLECG − MVKT, " + frac + " of labels", id(Method.CLECG, f),
                        id(Method.MVKT, f));
            }
            if (list.contains(Method.CLECG) && list.contains(Method.BCE_CLECG)) {
                s.compare("The teacher on a CLECG start: MVKT + CLECG − BCE + CLECG, " + frac + " of labels",
                        id(Method.CLECG, f), id(Method.BCE_CLECG, f));
            }
        }
        Map<String, double[][]> perSeed = perSeed(List.of(s), fr, list);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Lead %s, %s student, teacher %s on every "
                + "label. Test macro AUC, %%; fractions are stratified subsets of the %d training records (seed %d). "
                + "%s%n%n", lead, sb, train.backbone, s.data.train().size(), seed, pretrainNote(s)));
        md.append(table(fr, list, perSeed));
        md.append(String.format(Locale.ROOT, "%nBCE, every label: %s. Teacher (12 leads): %s.%n",
                Report.auc(s.results().get(BCE_ALL)), Report.auc(s.results().get("teacher"))));
        Plots.fractions(s.out.resolve("fractions.png"), title() + ", seed " + seed, fr, perSeed,
                references(List.of(s)));
        r.section("Figure 5: label fractions", md.toString()).image("macro AUC against the labelled fraction",
                "fractions.png").json("figure5", json(fr, list, perSeed));
    }

    private String pretrainNote(Session s) {
        if (pretrainData != null) {
            return "CLECG pretrains on the training split of " + pretrainData + ", without labels.";
        }
        return s.data instanceof SyntheticEcg ? "CLECG pretrains on the generator's unlabelled pool of " + pool
                + " records (its own random stream; no label read)."
                : "CLECG pretrains on the training records without their labels.";
    }

    /** The CLECG encoder of this seed: pretrained on --pretrain-data, the synthetic pool or the training records. */
    private Pretrained pretrain(Session s, String backbone, List<Lead> leads) throws IOException {
        Split records;
        String identity;
        if (pretrainData != null) {
            EcgDataset other = pretrainData.load(s.settings.seed(), data.train, data.val, data.test, null,
                    data.cacheDir);
            records = other.train();
            identity = other.identity() + " train split";
        } else if (s.data instanceof SyntheticEcg syn) {
            SyntheticEcg withPool = SyntheticEcg.builder().optSeed(syn.seed()).optVersion(syn.version())
                    .optDifficulty(syn.difficulty()).optCoOccurrence(syn.coOccurrence())
                    .optSamplingRate(s.data.train().samplingRate())
                    .optDurationSeconds(s.data.train().length() / s.data.train().samplingRate())
                    .optSizes(1, 1, 1).optUnlabelledPool(pool).build();
            records = withPool.unlabelledPool();
            identity = withPool.unlabelledPoolIdentity();
        } else {
            records = s.data.train();
            identity = s.data.identity() + " train split, labels not read";
        }
        if (records.samplingRate() != s.data.train().samplingRate() || records.length() != s.data.train().length()) {
            throw new IllegalArgumentException("--pretrain-data " + pretrainData + " has " + records.length()
                    + " samples at " + records.samplingRate() + " Hz; the students' data has "
                    + s.data.train().length() + " at " + s.data.train().samplingRate() + " Hz");
        }
        return s.pretrained("clecg", "CLECG-style pretraining", backbone, leads, pretrainEpochs, pretrainBatch,
                identity, records);
    }

    /** Per method, {@code [fraction][session]} test macro AUC (NaN where there is no model). */
    private static Map<String, double[][]> perSeed(List<Session> sessions, double[] fr, List<Method> list) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (Method m : list) {
            double[][] v = new double[fr.length][sessions.size()];
            for (int f = 0; f < fr.length; f++) {
                for (int k = 0; k < sessions.size(); k++) {
                    ModelResult mr = sessions.get(k).results().get(id(m, fr[f]));
                    v[f][k] = mr == null ? Double.NaN : mr.test().macroAuc();
                }
            }
            out.put(m.label, v);
        }
        return out;
    }

    private Map<String, Double> references(List<Session> sessions) {
        Map<String, Double> refs = new LinkedHashMap<>();
        double sum = 0;
        for (Session s : sessions) {
            sum += s.results().get(BCE_ALL).test().macroAuc();
        }
        refs.put("BCE, every label" + (sessions.size() > 1 ? " (mean)" : ""), sum / sessions.size());
        if (ceiling != null) {
            refs.put(ceilingLabel, ceiling);
        }
        return refs;
    }

    private static String table(double[] fr, List<Method> list, Map<String, double[][]> perSeed) {
        StringBuilder md = new StringBuilder("| Method |");
        for (double f : fr) {
            md.append(' ').append(Plots.fractionLabel(f)).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(fr.length)).append('\n');
        for (Method m : list) {
            md.append("| ").append(m.label).append(" |");
            for (int f = 0; f < fr.length; f++) {
                double[] v = perSeed.get(m.label)[f];
                SeedStats.Summary sum = SeedStats.summarise(v);
                md.append(' ').append(Double.isNaN(v[0]) ? "—" : v.length == 1 ? Report.pct(v[0])
                        : Report.pct(sum.mean()) + " ± " + String.format(Locale.ROOT, "%.1f", 100 * sum.sd()))
                        .append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static Map<String, Object> json(double[] fr, List<Method> list, Map<String, double[][]> perSeed) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("fractions", fr);
        Map<String, Object> rows = new LinkedHashMap<>();
        for (Method m : list) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int f = 0; f < fr.length; f++) {
                row.put(Plots.fractionLabel(fr[f]), Arrays.stream(perSeed.get(m.label)[f]).mapToObj(ModelResult::num)
                        .toList());
            }
            rows.put(m.id, row);
        }
        j.put("testMacroAuc", rows);
        return j;
    }

    @Override
    void afterSeeds(Path out, List<Session> sessions) throws IOException {
        double[] fr = parseFractions(fractions);
        List<Method> list = parseMethods(methods);
        Map<String, double[][]> perSeed = perSeed(sessions, fr, list);
        Map<String, Double> refs = references(sessions);
        Plots.fractions(out.resolve("fractions.png"), title() + ", " + sessions.size() + " seeds", fr, perSeed, refs);
        double bceAll = refs.values().iterator().next();
        StringBuilder md = new StringBuilder("\n## Figure 5: test macro AUC against the labelled fraction, mean ± sd "
                + "over seeds, %\n\n");
        md.append(pretrainNote(sessions.get(0))).append(" The paired differences of each method against BCE at the "
                + "same fraction are in the table of paired differences above.\n\n");
        md.append(table(fr, list, perSeed));
        md.append(String.format(Locale.ROOT, "%nBCE on every label: %s (mean over seeds)%s.%n%n"
                + "![macro AUC against the labelled fraction](fractions.png)%n", Report.pct(bceAll),
                ceiling == null ? "" : "; " + ceilingLabel + ": " + Report.pct(ceiling)));
        Path report = out.resolve("report.md");
        AtomicFiles.writeString(report, Files.readString(report, StandardCharsets.UTF_8) + md);
    }
}
