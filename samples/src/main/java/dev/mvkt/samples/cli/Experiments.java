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
            subcommands = {Table2.class, Ablation.class, Leads.class, Tsne.class})
    static final class ExperimentCommand implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "choose an experiment: table2, ablation, leads or tsne");
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
                        student.mvktLoss());
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
                    new Variant("bce-mkd", "BCE + MKD", true, false, Options.loss(a, 0)),
                    new Variant("bce-clt", "BCE + CLT", false, true, Options.loss(0, b)),
                    new Variant("bce-mkd-clt", "BCE + MKD + CLT", true, true, Options.loss(a, b)));
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Lead %s, %s; MKD weight %s, CLT "
                    + "weight %s. Test macro AUC, %%.%n%n| BCE | MKD | CLT | macro AUC (95%% CI) | accuracy | macro "
                    + "F1 |%n|---|---|---|---|---|---|%n", lead, studentBackbone(), a, b));
            List<Object> rows = new ArrayList<>();
            for (Variant v : variants) {
                // The BCE row needs no teacher: it is the baseline, as in the paper.
                s.student("ablation-" + v.id(), v.label(), studentBackbone(), v.mkd() || v.clt() ? t : null, lead,
                        v.loss());
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
                        student.mvktLoss());
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
                    student.mvktLoss());
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
