package dev.mvkt.samples.cli;

import dev.mvkt.api.Lead;
import dev.mvkt.api.LossTerm;
import dev.mvkt.core.MvktModel;
import dev.mvkt.core.Student;
import dev.mvkt.core.Teacher;
import dev.mvkt.losses.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code mvkt experiment ...}: the paper's tables and figures, one command each. */
final class Experiments {
    private Experiments() {
    }

    @Command(name = "experiment", mixinStandardHelpOptions = true,
            versionProvider = MvktCli.Version.class,
            description = "Reruns one of the paper's experiments and writes its report into --out.",
            subcommands = {Table1.class, Table2.class, Ablation.class, Leads.class, Tsne.class, Visibility.class,
                    Fractions.class})
    static final class ExperimentCommand implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "choose an experiment: table1, table2, ablation, leads, tsne, visibility or fractions");
        }
    }

    /** Options and checks common to every experiment. */
    abstract static class Base extends MvktCli.ReportCommand {
        @Mixin
        Options.DataOptions data;
        @Mixin
        Options.TrainOptions train;
        @Mixin
        Options.StudentOptions student;

        @Override
        Options.DataOptions dataOptions() {
            return data;
        }

        @Override
        Settings settings() {
            return train.settings(data);
        }

        @Override
        void validate() {
            train.validate();
            student.validate();
            BackboneTable.check(train.backbone);
        }

        String studentBackbone() {
            return student.studentBackbone(train.backbone);
        }
    }

    @Command(name = "table1", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = {"Table 1, as mvkt can rerun it: from one 12-lead teacher, single-lead students of one "
                    + "backbone trained with BCE alone, BCE plus a classic distillation term (KD, FitNets, RKD, PKT; "
                    + "weight --kd-weight) and MVKT (BCE + alpha MKD + beta CLT); test macro AUC with 95%% CIs and "
                    + "the paired CI of each method minus BCE, per-class F1, and table1.png.",
                    "The paper's Table 1 lists other authors' published single-lead networks; those are not part of "
                            + "mvkt, so this table compares distillation losses on the same student backbone instead."})
    static final class Table1 extends Base {
        @Option(names = "--methods", defaultValue = "all", paramLabel = "LIST",
                description = "Comma-separated rows among bce, kd, fitnet, rkd, pkt, mvkt, or 'all'. "
                        + "Default: ${DEFAULT-VALUE}.")
        String methods;

        @Option(names = "--weight", paramLabel = "METHOD=X",
                description = {"Weight X of a compared term in BCE + X·term, for METHOD kd, fitnet, rkd or pkt "
                        + "(repeatable, e.g. --weight rkd=10 --weight pkt=500). Defaults: kd=1 (as MKD's --alpha), "
                        + "fitnet=1, rkd=25, pkt=1000: the CRD benchmark's (RepDistiller) weights in this library's "
                        + "normalisation, so that each term counts about as it does there. MVKT's weights are "
                        + "--alpha and --beta."})
        Map<String, Double> weights = new LinkedHashMap<>();

        @Option(names = "--kd-temperature", defaultValue = "4.0", paramLabel = "T",
                description = "KD's temperature, on the logits (MKD's T = 1.5 softens probabilities instead). "
                        + "Default: ${DEFAULT-VALUE}.")
        double kdTemperature;

        /** A row of the table: a student's training objective. */
        enum Method {
            BCE("bce", "BCE", "no teacher: the single-lead baseline", 0),
            KD("kd", "KD", "Hinton et al. 2015, one Bernoulli per class", 1.0),
            FITNET("fitnet", "FitNets", "Romero et al. 2015: normalised embedding regression", 1.0),
            // RepDistiller's RKD: w_d = 25, w_a = 50, that is 25 × the paper's λ_D = 1, λ_A = 2.
            RKD("rkd", "RKD", "Park et al. 2019: distance and angle relations", 25.0),
            // RepDistiller's 30000 on a mean over B² entries, which is 1/B of this library's PKT: 30000/32.
            PKT("pkt", "PKT", "Passalis & Tefas 2018: cosine-kernel distributions", 1000.0),
            MVKT("mvkt", "MVKT", "MKD + CLT, the paper's", 0);

            final String id;
            final String label;
            final String source;
            /** The weight of the compared term when --weight does not set it (0: no single compared term). */
            final double defaultWeight;

            Method(String id, String label, String source, double defaultWeight) {
                this.id = id;
                this.label = label;
                this.source = source;
                this.defaultWeight = defaultWeight;
            }
        }

        double weight(Method m) {
            return weights.getOrDefault(m.id, m.defaultWeight);
        }

        static List<Method> parseMethods(String text) {
            return Options.parseChoices("--methods", text, List.of(Method.values()), m -> m.id);
        }

        @Override
        void validate() {
            super.validate();
            parseMethods(methods);
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                boolean known = Arrays.stream(Method.values()).anyMatch(m -> m.defaultWeight > 0
                        && m.id.equals(w.getKey()));
                if (!known) {
                    throw new IllegalArgumentException("--weight: unknown method '" + w.getKey() + "'; expected kd, "
                            + "fitnet, rkd or pkt (MVKT's weights are --alpha and --beta)");
                }
                if (w.getValue() == null || !(w.getValue() > 0) || Double.isInfinite(w.getValue())) {
                    throw new IllegalArgumentException("--weight " + w.getKey() + " must be positive and finite, was "
                            + w.getValue());
                }
            }
            if (!(kdTemperature > 0) || Double.isInfinite(kdTemperature)) {
                throw new IllegalArgumentException("--kd-temperature must be positive and finite, was "
                        + kdTemperature);
            }
            if (parseMethods(methods).contains(Method.MVKT) && student.alpha == 0 && student.beta == 0) {
                throw new IllegalArgumentException("--alpha and --beta are both 0, so the mvkt row would be BCE; "
                        + "give one a positive weight or leave mvkt out of --methods");
            }
        }

        LossTerm loss(Method m, Settings settings) {
            return switch (m) {
                case BCE -> Losses.bce();
                case KD -> Losses.bce().plus(Losses.kd(kdTemperature).weight(weight(m)));
                case FITNET -> Losses.bce().plus(Losses.fitnet().weight(weight(m)));
                case RKD -> Losses.bce().plus(Losses.rkd().weight(weight(m)));
                case PKT -> Losses.bce().plus(Losses.pkt().weight(weight(m)));
                case MVKT -> student.mvktLoss(settings);
            };
        }

        @Override
        String title() {
            return "Table 1: distillation methods on one single-lead student (" + studentBackbone() + ", lead "
                    + student.lead + ")";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            Lead lead = student.lead;
            List<Method> list = parseMethods(methods);
            Teacher t = s.teacher("teacher", "Teacher (12 leads)", train.backbone);
            for (Method m : list) {
                // The BCE row needs no teacher, as in Table 2's baseline.
                s.student("table1-" + m.id, m.label, studentBackbone(), m == Method.BCE ? null : t, lead, loss(m, s.settings));
                if (m != Method.BCE && list.contains(Method.BCE)) {
                    s.compare(m.label + " − BCE", "table1-" + m.id, "table1-bce");
                }
            }
            ModelResult base = list.contains(Method.BCE) ? s.results().get("table1-bce") : null;
            ModelResult rt = s.results().get("teacher");
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "The paper's Table 1 compares MVKT-ECG "
                    + "with other authors' published single-lead networks. Those networks are not part of mvkt, so "
                    + "**this table compares distillation losses on the same backbone instead**: every row is a "
                    + "%s student reading lead %s, trained from the same 12-lead teacher (%s) with BCE plus one "
                    + "distillation objective, its weights in the Loss column (KD's temperature %s, on the logits; "
                    + "RKD's distance and angle weights 1 and 2 inside the term; FitNets, RKD and PKT act on the "
                    + "128-d projection-head embeddings with the teacher's held fixed). Test macro AUC, %%, with "
                    + "bootstrap 95%% CIs; Δ: the method minus BCE on the same resampled test records (paired "
                    + "bootstrap).%n%n| Method | Loss | Macro AUC (95%% CI) | Δ vs BCE (95%% CI) | Accuracy | "
                    + "Macro F1 |%n|---|---|---|---|---|---|%n", studentBackbone(), lead, train.backbone,
                    kdTemperature));
            List<Object> rows = new ArrayList<>();
            List<String> names = new ArrayList<>();
            double[] value = new double[list.size()];
            double[] lo = new double[list.size()];
            double[] hi = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                Method m = list.get(i);
                ModelResult mr = s.results().get("table1-" + m.id);
                double delta = Double.NaN;
                Stats.Interval d = new Stats.Interval(Double.NaN, Double.NaN);
                if (base != null && m != Method.BCE) {
                    delta = mr.test().macroAuc() - base.test().macroAuc();
                    d = Stats.bootstrapDifference(mr.probabilities(), base.probabilities(), s.testLabels,
                            s.settings.bootstrap(), s.settings.seed());
                }
                String deltaText = m == Method.BCE ? "—" : base == null ? "n/a (no bce row)"
                        : Report.signedPct(delta) + " (" + (Double.isNaN(d.lo()) ? "n/a"
                        : Report.signedPct(d.lo()) + " to " + Report.signedPct(d.hi())) + ")";
                md.append(String.format(Locale.ROOT, "| %s (%s) | `%s` | %s | %s | %s | %s |%n", m.label, m.source,
                        mr.loss(), Report.auc(mr), deltaText, Report.pct(mr.test().accuracy()),
                        Report.pct(mr.test().macroF1())));
                names.add(m.label);
                value[i] = mr.test().macroAuc();
                lo[i] = mr.aucCi().lo();
                hi[i] = mr.aucCi().hi();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("method", m.id);
                row.put("label", m.label);
                row.put("source", m.source);
                row.put("loss", mr.loss());
                if (m.defaultWeight > 0) {
                    row.put("weight", weight(m));
                }
                row.put("model", mr.id());
                row.put("deltaMacroAucVsBce", ModelResult.num(delta));
                row.put("deltaMacroAucVsBce95ci", Arrays.asList(ModelResult.num(d.lo()), ModelResult.num(d.hi())));
                rows.add(row);
            }
            md.append(String.format(Locale.ROOT, "| Teacher (12 leads, reference) | `%s` | %s | | %s | %s |%n",
                    rt.loss(), Report.auc(rt), Report.pct(rt.test().accuracy()), Report.pct(rt.test().macroF1())));
            Map<String, Double> refs = new LinkedHashMap<>();
            if (base != null) {
                refs.put("BCE baseline", base.test().macroAuc());
            }
            refs.put("teacher (12 leads)", rt.test().macroAuc());
            Plots.forest(s.out.resolve("table1.png"), "Table 1: test macro AUC per method (lead " + lead + ")",
                    names, value, lo, hi, refs, 1);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("note", "distillation losses compared on the same student backbone; not the paper's list of "
                    + "published single-lead networks");
            json.put("kdTemperature", kdTemperature);
            json.put("rows", rows);
            r.section("Table 1: distillation methods on the same single-lead student", md.toString())
                    .image("macro AUC per method with 95% CIs", "table1.png").json("table1", json);
        }
    }

    @Command(name = "table2", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = {"Table 2: per backbone, the 12-lead teacher, the single-lead BCE baseline and the "
                    + "single-lead MVKT student (BCE + alpha MKD + beta CLT), macro AUC with 95%% CIs and the paired "
                    + "CI of MVKT minus baseline.",
                    "--backbone takes a comma-separated list or 'all'; --student-backbone, when given, is used for "
                            + "every student."})
    static final class Table2 extends Base {
        @Override
        void validate() {
            train.validate();
            student.validate();
            BackboneTable.parseList(train.backbone);
        }

        @Override
        String title() {
            return "Table 2: teacher, 1-lead and 1-lead MVKT (lead " + student.lead + ")";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            Lead lead = student.lead;
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Test macro AUC, %% (95%% CI). "
                    + "Δ: MVKT − 1-lead, paired bootstrap.%n%n| Backbone | Teacher (12 leads) | 1-lead (%s) | "
                    + "1-lead MVKT (%s) | Δ (95%% CI) |%n|---|---|---|---|---|%n", lead, lead));
            List<Object> rows = new ArrayList<>();
            for (String b : BackboneTable.parseList(train.backbone)) {
                String sb = student.studentBackbone(b);
                Teacher t = s.teacher("teacher-" + b, "Teacher " + b, b);
                s.student("baseline-" + sb + "-" + lead.label(), "1-lead " + sb + " (" + lead + ")", sb, null, lead,
                        Losses.bce());
                s.student("mvkt-" + sb + "-" + lead.label(), "1-lead MVKT " + sb + " (" + lead + ")", sb, t, lead,
                        student.mvktLoss(s.settings));
                s.compare("MVKT − 1-lead " + sb + " (" + lead + ")", "mvkt-" + sb + "-" + lead.label(),
                        "baseline-" + sb + "-" + lead.label());
                ModelResult rt = s.results().get("teacher-" + b);
                ModelResult rb = s.results().get("baseline-" + sb + "-" + lead.label());
                ModelResult rm = s.results().get("mvkt-" + sb + "-" + lead.label());
                Stats.Interval d = Stats.bootstrapDifference(rm.probabilities(), rb.probabilities(), s.testLabels,
                        s.settings.bootstrap(), s.settings.seed());
                double delta = rm.test().macroAuc() - rb.test().macroAuc();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s (%s) |%n", b.equals(sb) ? b
                                : b + " → " + sb, Report.auc(rt), Report.auc(rb), Report.auc(rm),
                        Report.signedPct(delta), Double.isNaN(d.lo()) ? "n/a"
                                : Report.signedPct(d.lo()) + " to " + Report.signedPct(d.hi())));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("backbone", b);
                row.put("studentBackbone", sb);
                row.put("teacher", rt.id());
                row.put("baseline", rb.id());
                row.put("mvkt", rm.id());
                row.put("deltaMacroAuc", ModelResult.num(delta));
                row.put("deltaMacroAuc95ci", Arrays.asList(ModelResult.num(d.lo()), ModelResult.num(d.hi())));
                rows.add(row);
            }
            r.section("Table 2", md.toString()).json("table2", rows);
        }
    }

    @Command(name = "ablation", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = "Table 3: the loss ablation on one backbone and lead: BCE, BCE + MKD, BCE + CLT, "
                    + "BCE + MKD + CLT (weights --alpha, --beta), and the teacher for reference.")
    static final class Ablation extends Base {
        @Override
        String title() {
            return "Table 3: loss ablation (" + studentBackbone() + ", lead " + student.lead + ")";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            Lead lead = student.lead;
            double a = student.alpha > 0 ? student.alpha : 1.0;
            double b = student.beta > 0 ? student.beta : 0.8;
            Teacher t = s.teacher("teacher", "Teacher (12 leads)", train.backbone);
            record Variant(String id, String label, boolean mkd, boolean clt, LossTerm loss) {
            }
            List<Variant> variants = List.of(
                    new Variant("bce", "BCE", false, false, Losses.bce()),
                    new Variant("bce-mkd", "BCE + MKD", true, false, s.settings.recipe().loss(a, 0)),
                    new Variant("bce-clt", "BCE + CLT", false, true, s.settings.recipe().loss(0, b)),
                    new Variant("bce-mkd-clt", "BCE + MKD + CLT", true, true, s.settings.recipe().loss(a, b)));
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Lead %s, %s; MKD weight %s, CLT "
                    + "weight %s. Test macro AUC, %%.%n%n| BCE | MKD | CLT | macro AUC (95%% CI) | accuracy | macro "
                    + "F1 |%n|---|---|---|---|---|---|%n", lead, studentBackbone(), a, b));
            List<Object> rows = new ArrayList<>();
            for (Variant v : variants) {
                // The BCE row needs no teacher: it is the baseline, as in the paper.
                s.student("ablation-" + v.id(), v.label(), studentBackbone(), v.mkd() || v.clt() ? t : null, lead,
                        v.loss());
                if (v.mkd() || v.clt()) {
                    s.compare(v.label() + " − BCE", "ablation-" + v.id(), "ablation-bce");
                }
                ModelResult m = s.results().get("ablation-" + v.id());
                md.append(String.format(Locale.ROOT, "| ✓ | %s | %s | %s | %s | %s |%n", v.mkd() ? "✓" : "",
                        v.clt() ? "✓" : "", Report.auc(m), Report.pct(m.test().accuracy()),
                        Report.pct(m.test().macroF1())));
                rows.add(Map.of("loss", v.label(), "model", m.id(), "mkd", v.mkd(), "clt", v.clt()));
            }
            ModelResult rt = s.results().get("teacher");
            md.append(String.format(Locale.ROOT, "| teacher (12 leads) | | | %s | %s | %s |%n", Report.auc(rt),
                    Report.pct(rt.test().accuracy()), Report.pct(rt.test().macroF1())));
            r.section("Table 3", md.toString()).json("table3", rows);
        }
    }

    @Command(name = "leads", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = "Figure 3: one baseline and one MVKT student per lead, test macro AUC per lead "
                    + "(leads.png), from one 12-lead teacher.")
    static final class Leads extends Base {
        @Option(names = "--leads", defaultValue = "all", paramLabel = "LIST",
                description = "Comma-separated leads (e.g. I,II,V1) or 'all'. Default: ${DEFAULT-VALUE}.")
        String leads;

        @Override
        void validate() {
            super.validate();
            Options.parseLeads(leads);
        }

        @Override
        String title() {
            return "Figure 3: macro AUC per lead (" + studentBackbone() + ")";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            List<Lead> list = Options.parseLeads(leads);
            Teacher t = s.teacher("teacher", "Teacher (12 leads)", train.backbone);
            List<String> names = new ArrayList<>();
            List<Double> base = new ArrayList<>();
            List<Double> mvkt = new ArrayList<>();
            StringBuilder md = new StringBuilder("| Lead | 1-lead (BCE) | 1-lead MVKT | Δ |\n|---|---|---|---|\n");
            List<Object> rows = new ArrayList<>();
            for (Lead lead : list) {
                s.student("baseline-" + lead.label(), "1-lead (" + lead + ")", studentBackbone(), null, lead,
                        Losses.bce());
                s.student("mvkt-" + lead.label(), "1-lead MVKT (" + lead + ")", studentBackbone(), t, lead,
                        student.mvktLoss(s.settings));
                s.compare("MVKT − BCE, lead " + lead, "mvkt-" + lead.label(), "baseline-" + lead.label());
                ModelResult b = s.results().get("baseline-" + lead.label());
                ModelResult m = s.results().get("mvkt-" + lead.label());
                names.add(lead.label());
                base.add(b.test().macroAuc());
                mvkt.add(m.test().macroAuc());
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", lead, Report.auc(b), Report.auc(m),
                        Report.signedPct(m.test().macroAuc() - b.test().macroAuc())));
                rows.add(Map.of("lead", lead.label(), "baseline", b.id(), "mvkt", m.id()));
            }
            Map<String, List<Double>> series = new LinkedHashMap<>();
            series.put("1-lead (BCE)", base);
            series.put("1-lead MVKT", mvkt);
            Plots.leadBars(s.out.resolve("leads.png"), names, series);
            r.figureModels(List.of("teacher", "baseline-" + list.get(0).label(), "mvkt-" + list.get(0).label()));
            r.section("Figure 3: test macro AUC per lead, %", md.toString())
                    .image("macro AUC per lead", "leads.png").json("figure3", rows);
        }
    }

    @Command(name = "tsne", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = "Figure 4: t-SNE (Smile's exact t-SNE) of the pooled backbone features of the teacher, "
                    + "the baseline student and the MVKT student on test records, coloured by class (tsne.png).")
    static final class Tsne extends Base {
        @Option(names = "--points", defaultValue = "500", paramLabel = "N",
                description = "Test records embedded (the first N; exact t-SNE is quadratic). "
                        + "Default: ${DEFAULT-VALUE}.")
        int points;

        @Option(names = "--perplexity", defaultValue = "30", paramLabel = "X",
                description = "t-SNE perplexity, lowered to (N - 1) / 3 for few points. Default: ${DEFAULT-VALUE}.")
        double perplexity;

        @Option(names = "--iterations", defaultValue = "1000", paramLabel = "N",
                description = "t-SNE iterations. Default: ${DEFAULT-VALUE}.")
        int iterations;

        @Override
        void validate() {
            super.validate();
            Options.positive("--points", points, 4);
            Options.positive("--iterations", iterations, 1);
            if (!(perplexity > 0) || Double.isInfinite(perplexity)) {
                throw new IllegalArgumentException("--perplexity must be positive, was " + perplexity);
            }
        }

        @Override
        String title() {
            return "Figure 4: t-SNE of teacher, 1-lead and 1-lead MVKT features (lead " + student.lead + ")";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            Lead lead = student.lead;
            Teacher t = s.teacher("teacher", "Teacher (12 leads)", train.backbone);
            Student b = s.student("baseline-" + lead.label(), "1-lead (" + lead + ")", studentBackbone(), null,
                    lead, Losses.bce());
            Student m = s.student("mvkt-" + lead.label(), "1-lead MVKT (" + lead + ")", studentBackbone(), t, lead,
                    student.mvktLoss(s.settings));
            s.compare("MVKT − BCE, lead " + lead, "mvkt-" + lead.label(), "baseline-" + lead.label());
            int n = Math.min(points, s.data.test().size());
            double perp = Math.min(perplexity, (n - 1) / 3.0);
            Map<String, MvktModel> models = new LinkedHashMap<>();
            models.put("Teacher (12 leads)", t);
            models.put("1-lead (" + lead + ")", b);
            models.put("1-lead MVKT (" + lead + ")", m);
            List<String> classes = s.data.labels().names();
            String[] groups = TsneEmbedding.groups(s.testLabels, classes, n);
            List<String> order = new ArrayList<>(classes);
            order.add(TsneEmbedding.SEVERAL);
            order.add(TsneEmbedding.NONE);
            Map<String, double[][]> emb = new LinkedHashMap<>();
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%d test records, perplexity %.1f, "
                    + "%d iterations, seed %d. Points coloured by their class (records with several classes: "
                    + "'%s'). Neighbourhood agreement: the share of each point's 10 nearest t-SNE neighbours "
                    + "with the same colour.%n%n| Model | feature dim | neighbourhood agreement, %% |%n|---|---|---|%n",
                    n, perp, iterations, s.settings.seed(), TsneEmbedding.SEVERAL));
            Map<String, Object> json = new LinkedHashMap<>();
            for (Map.Entry<String, MvktModel> e : models.entrySet()) {
                MvktCli.log.println("t-SNE: " + e.getKey());
                float[][] f = e.getValue().features(s.data.test());
                double[][] x = new double[n][];
                for (int i = 0; i < n; i++) {
                    x[i] = new double[f[i].length];
                    for (int j = 0; j < f[i].length; j++) {
                        x[i][j] = f[i][j];
                    }
                }
                double[][] y = TsneEmbedding.embed(x, perp, iterations, s.settings.seed());
                emb.put(e.getKey(), y);
                double agree = TsneEmbedding.neighbourAgreement(y, groups, 10);
                md.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", e.getKey(), x[0].length,
                        Report.pct(agree)));
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("featureDim", x[0].length);
                one.put("neighbourAgreement", ModelResult.num(agree));
                one.put("coordinates", y);
                json.put(e.getKey(), one);
            }
            Plots.tsne(s.out.resolve("tsne.png"), emb, groups, order);
            r.section("Figure 4: t-SNE of pooled features (test split)", md.toString())
                    .image("t-SNE", "tsne.png")
                    .json("figure4", Map.of("points", n, "perplexity", perp, "iterations", iterations,
                            "groups", groups, "embeddings", json));
        }
    }
}
