package dev.mvkt.samples.cli;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.Lead;
import dev.mvkt.api.SignalQuality;
import dev.mvkt.core.DiagnoseOptions;
import dev.mvkt.core.ModelFormatException;
import dev.mvkt.core.MvktModel;
import dev.mvkt.core.QualityPolicy;
import dev.mvkt.core.Student;
import dev.mvkt.core.Teacher;
import dev.mvkt.losses.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** The single-model commands: {@code teacher}, {@code distill}, {@code evaluate}, {@code diagnose}. */
final class TrainCommands {
    private TrainCommands() {
    }

    @Command(name = "teacher", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = "Trains a 12-lead teacher with BCE and reports it on the test split. The model is saved "
                    + "as OUT/models/teacher.mvkt (with teacher.provenance.txt); pass it to 'distill --teacher'.")
    static final class TeacherCommand extends MvktCli.ReportCommand {
        @Mixin
        Options.DataOptions data;
        @Mixin
        Options.TrainOptions train;

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
            BackboneTable.check(train.backbone);
        }

        @Override
        String title() {
            return "Teacher: " + train.backbone + " on 12 leads";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            s.teacher("teacher", "Teacher (12 leads)", train.backbone);
        }
    }

    @Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = "Trains a single-lead (or, with --leads, lead-subset) MVKT student (BCE + alpha MKD + "
                    + "beta CLT) from a teacher: the one "
                    + "given by --teacher, or one trained first in this run. With --baseline, trains the BCE-only "
                    + "student without a teacher instead; with --with-baseline, both.")
    static final class DistillCommand extends MvktCli.ReportCommand {
        @Mixin
        Options.DataOptions data;
        @Mixin
        Options.TrainOptions train;
        @Mixin
        Options.StudentOptions student;

        @Option(names = "--teacher", paramLabel = "FILE",
                description = "A teacher .mvkt from 'mvkt teacher' (trained on the same --data). Default: train one.")
        Path teacherFile;

        @Option(names = "--leads", paramLabel = "LIST",
                description = "Instead of --lead: a lead subset for the student, comma-separated, e.g. I,II (a "
                        + "two-electrode patch) or I,II,III,aVR,aVL,aVF (the limb leads).")
        String leads;

        @Option(names = "--baseline", description = "Train only the single-lead BCE baseline (no teacher).")
        boolean baselineOnly;

        @Option(names = "--with-baseline", description = "Also train the single-lead BCE baseline, for comparison.")
        boolean withBaseline;

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
            if (teacherFile != null && !Files.isRegularFile(teacherFile)) {
                throw new IllegalArgumentException("--teacher " + teacherFile + ": no such file");
            }
            if (baselineOnly && teacherFile != null) {
                throw new IllegalArgumentException("--baseline trains without a teacher; drop --teacher");
            }
            if (leads != null) {
                Options.parseLeads(leads);
            }
        }

        private List<Lead> studentLeads() {
            return leads == null ? List.of(student.lead) : Options.parseLeads(leads);
        }

        @Override
        String title() {
            List<Lead> ls = studentLeads();
            return "Distillation: lead" + (ls.size() == 1 ? " " : "s ")
                    + ls.stream().map(Lead::label).collect(Collectors.joining(",")) + " student";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            String sb = student.studentBackbone(train.backbone);
            List<Lead> ls = studentLeads();
            // One lead keeps the ids and labels it always had ("mvkt-I", "1-lead MVKT (I)").
            String tag = ls.stream().map(Lead::label).collect(Collectors.joining("-"));
            String lead = ls.stream().map(Lead::label).collect(Collectors.joining(","));
            String n = ls.size() + "-lead";
            if (baselineOnly || withBaseline) {
                s.student("baseline-" + tag, n + " (" + lead + ", BCE)", sb, null, ls, Losses.bce());
            }
            if (baselineOnly) {
                return;
            }
            Teacher t;
            if (teacherFile != null) {
                t = Teacher.load(teacherFile);
                s.evaluateOnly("teacher", "Teacher (12 leads)", t, teacherFile);
            } else {
                t = s.teacher("teacher", "Teacher (12 leads)", train.backbone);
            }
            s.student("mvkt-" + tag, n + " MVKT (" + lead + ")", sb, t, ls, student.mvktLoss(s.settings));
            if (withBaseline) {
                s.compare("MVKT − BCE, lead" + (ls.size() == 1 ? " " : "s ") + lead, "mvkt-" + tag,
                        "baseline-" + tag);
            }
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = "Evaluates saved models (teachers or students) on the test split of --data and writes the "
                    + "report: macro AUC with bootstrap CI, accuracy, F1 per class, ROC curves.")
    static final class EvaluateCommand extends MvktCli.ReportCommand {
        @Option(names = "--model", required = true, arity = "1..*", paramLabel = "FILE",
                description = "One or more .mvkt files.")
        List<Path> models = new ArrayList<>();

        @Mixin
        Options.DataOptions data;

        @Override
        Options.DataOptions dataOptions() {
            return data;
        }

        @Override
        Settings settings() {
            return new Settings(0, 0, 0, "constant", false, data.seed, 0, false, 0, data.bootstrap,
                    Recipe.preset("paper"), 1);
        }

        @Override
        void validate() {
            for (Path m : models) {
                if (!Files.isRegularFile(m)) {
                    throw new IllegalArgumentException("--model " + m + ": no such file");
                }
            }
        }

        @Override
        String title() {
            return "Evaluation";
        }

        @Override
        void run(Session s, Report r) throws IOException {
            for (Path m : models) {
                MvktModel model = load(m);
                String name = m.getFileName().toString().replaceFirst("\\.mvkt$", "");
                s.evaluateOnly(name, name, model, m);
            }
        }
    }

    /** A teacher or a student, whichever the file holds. */
    static MvktModel load(Path file) throws IOException {
        try {
            return Student.load(file);
        } catch (ModelFormatException e) {
            if (!String.valueOf(e.getMessage()).contains("holds a teacher")) {
                throw e;
            }
            return Teacher.load(file);
        }
    }

    @Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = MvktCli.Version.class,
            description = "Diagnoses one recording with a saved student: a text file of samples in mV at --hz, or "
                    + "record --record of the test split of --data. For a one-lead student the file is samples "
                    + "separated by white space, commas or semicolons; for a lead subset its first line names the "
                    + "leads (e.g. 'I,II') and each further line holds one sample per lead. The recording's signal "
                    + "quality is checked first: an unusable one gets no diagnosis (see --quality-policy). Prints "
                    + "the quality verdict and each class's probability; '*' marks findings.")
    static final class DiagnoseCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A student .mvkt.")
        Path model;

        @Option(names = "--input", paramLabel = "FILE", description = "Samples of the student's lead(s), in mV.")
        Path input;

        @Option(names = "--hz", paramLabel = "X",
                description = "Sampling rate of --input, 50-10000 Hz (resampled to the model's).")
        Double hz;

        @Option(names = "--data", paramLabel = "SPEC", converter = Options.DataConverter.class,
                description = "Instead of --input: a dataset (as in 'mvkt teacher --help'), with --record.")
        DataSpec data;

        @Option(names = "--record", defaultValue = "0", paramLabel = "N",
                description = "Index in the test split of --data. Default: ${DEFAULT-VALUE}.")
        int record;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
                description = "Seed of --data (synthetic data, folds). Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--quality-policy", defaultValue = "ABSTAIN_WHEN_UNUSABLE", paramLabel = "POLICY",
                description = "When to give no diagnosis: ABSTAIN_WHEN_UNUSABLE, ABSTAIN_WHEN_QUESTIONABLE or "
                        + "REPORT_ONLY (always score). Default: ${DEFAULT-VALUE}.")
        QualityPolicy qualityPolicy;

        @Override
        public Integer call() throws IOException {
            if ((input == null) == (data == null)) {
                throw new IllegalArgumentException("give either --input FILE --hz X, or --data SPEC [--record N]");
            }
            if (input != null && hz == null) {
                throw new IllegalArgumentException("--input needs --hz with its sampling rate");
            }
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("--model " + model + ": no such file");
            }
            if (input != null && !Files.isRegularFile(input)) {
                throw new IllegalArgumentException("--input " + input + ": no such file");
            }
            Student student = Student.load(model);
            List<Lead> leads = student.leads();
            Map<Lead, float[]> signal;
            double rate;
            String truth = null;
            if (input != null) {
                signal = readRecording(input, leads);
                rate = hz;
            } else {
                // The generator's first records are the same whatever the sizes, so small splits suffice here.
                EcgDataset d = data.load(seed, 2, 2, Math.max(2, record + 1));
                if (record < 0 || record >= d.test().size()) {
                    throw new IllegalArgumentException("--record must be in 0.." + (d.test().size() - 1)
                            + ", was " + record);
                }
                EcgRecord rec = d.test().record(record);
                signal = new LinkedHashMap<>();
                for (Lead l : leads) {
                    signal.put(l, rec.lead(l));
                }
                rate = rec.samplingRate();
                List<String> t = new ArrayList<>();
                for (int c = 0; c < rec.labels().length; c++) {
                    if (rec.labels()[c] > 0.5f) {
                        t.add(d.labels().name(c));
                    }
                }
                truth = rec.id() + ": " + (t.isEmpty() ? "(none)" : String.join(", ", t));
            }
            Diagnosis dx = student.diagnose(signal, rate, DiagnoseOptions.of(qualityPolicy));
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "lead%s %s, %d samples at %s Hz%n", leads.size() == 1 ? "" : "s",
                    leads.stream().map(Lead::label).collect(Collectors.joining(",")),
                    signal.get(leads.get(0)).length, rate);
            SignalQuality q = dx.quality();
            o.println("quality: " + q.verdict().name().toLowerCase(Locale.ROOT));
            for (SignalQuality.Issue i : q.issues()) {
                o.println("  " + i.verdict().name().toLowerCase(Locale.ROOT) + " " + i.reason() + ": "
                        + i.message());
            }
            for (int c = 0; c < dx.labels().size(); c++) {
                if (dx.abstained()) {
                    o.printf(Locale.ROOT, "  %-10s n/a   (threshold %.3f)%n", dx.labels().name(c),
                            dx.thresholds()[c]);
                } else {
                    o.printf(Locale.ROOT, "  %-10s %.3f (threshold %.3f)%s%n", dx.labels().name(c),
                            dx.probabilities()[c], dx.thresholds()[c],
                            dx.probabilities()[c] >= dx.thresholds()[c] ? " *" : "");
                }
            }
            o.println("findings: " + (dx.abstained() ? "none: the recording is " + q.verdict().name()
                    .toLowerCase(Locale.ROOT) + ", so no diagnosis is given"
                    : dx.findings().isEmpty() ? "(none)" : String.join(", ", dx.findings())));
            if (truth != null) {
                o.println("labels of " + truth);
            }
            o.flush();
            return 0;
        }

        /**
         * The recording in {@code file}: samples of a one-lead student's lead, or a header line of lead names and
         * one column per lead (for any student; {@code diagnose} names missing and extra leads).
         */
        static Map<Lead, float[]> readRecording(Path file, List<Lead> leads) throws IOException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String first = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
            String[] head = first.split("[\\s,;]+");
            boolean header = !first.isEmpty() && !head[0].matches("[-+0-9.eE]+|NaN|[-+]?Infinity");
            Map<Lead, float[]> out = new LinkedHashMap<>();
            if (!header) {
                if (leads.size() != 1) {
                    throw new IOException(file + ": the student reads leads " + leads + "; the file's first line "
                            + "must name them (e.g. '" + leads.stream().map(Lead::label)
                            .collect(Collectors.joining(",")) + "'), then one column per lead");
                }
                out.put(leads.get(0), readSamples(file));
                return out;
            }
            List<Lead> cols = new ArrayList<>();
            for (String h : head) {
                try {
                    Lead l = Lead.parse(h);
                    if (cols.contains(l)) {
                        throw new IOException(file + ": line 1 names lead " + l + " twice");
                    }
                    cols.add(l);
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": line 1: " + e.getMessage());
                }
            }
            List<float[]> rows = new ArrayList<>();
            int lineNo = 0;
            boolean seenHeader = false;
            for (String line : lines) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (!seenHeader) {
                    seenHeader = true;
                    continue;
                }
                String[] w = line.trim().split("[\\s,;]+");
                if (w.length != cols.size()) {
                    throw new IOException(file + ": line " + lineNo + " has " + w.length + " values; the header "
                            + "names " + cols.size() + " leads");
                }
                float[] row = new float[w.length];
                for (int c = 0; c < w.length; c++) {
                    try {
                        row[c] = Float.parseFloat(w[c]);
                    } catch (NumberFormatException e) {
                        throw new IOException(file + ": line " + lineNo + ", lead " + cols.get(c)
                                + ": not a number: '" + w[c] + "'");
                    }
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new IOException(file + ": a header but no samples");
            }
            for (int c = 0; c < cols.size(); c++) {
                float[] x = new float[rows.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rows.get(i)[c];
                }
                out.put(cols.get(c), x);
            }
            return out;
        }

        static float[] readSamples(Path file) throws IOException {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                throw new IOException(file + ": no samples");
            }
            String[] words = text.split("[\\s,;]+");
            float[] out = new float[words.length];
            for (int i = 0; i < words.length; i++) {
                try {
                    out[i] = Float.parseFloat(words[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": sample " + (i + 1) + " is not a number: '" + words[i] + "'");
                }
            }
            return out;
        }
    }
}
