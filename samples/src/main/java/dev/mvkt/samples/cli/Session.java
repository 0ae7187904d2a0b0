package dev.mvkt.samples.cli;

import dev.mvkt.core.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EpochReport;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.MvktModel;
import dev.mvkt.core.Pretrained;
import dev.mvkt.core.Student;
import dev.mvkt.core.StudentTrainer;
import dev.mvkt.core.Teacher;
import dev.mvkt.core.TrainingBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run of a command: trains (or, with {@code --resume}, reuses or continues) the models into
 * {@code OUT/models}, evaluates each once on the test split, and keeps the results for the report.
 * <p>Each model checkpoints every epoch into {@code OUT/checkpoints/ID}. With {@code --resume} a model whose
 * {@code .mvkt} was completed by an earlier run with the same settings is loaded instead of retrained, and the one
 * that was interrupted continues from its last checkpoint, so an experiment of many models picks up where it
 * stopped.
 */
final class Session {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .disableHtmlEscaping().create();

    final Path out;
    final EcgDataset data;
    final Settings settings;
    final float[][] testLabels;
    private final PrintStream log;
    private final Jobs jobs;
    // Filled by trainings that may finish in any order (--jobs); reported in the order they were asked for.
    private final Map<String, ModelResult> results = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
    // Where each teacher and encoder of this run is saved: a model trained on another thread loads its own copy.
    private final Map<Object, Path> files = new java.util.IdentityHashMap<>();
    private final List<Comparison> comparisons = new ArrayList<>();

    /** A method the experiment compares with its baseline, by model id (the same ids in every seed's run). */
    record Comparison(String label, String method, String baseline) {
    }

    Session(Path out, EcgDataset data, Settings settings, PrintStream log) {
        this(out, data, settings, log, new Jobs(1));
    }

    Session(Path out, EcgDataset data, Settings settings, PrintStream log, Jobs jobs) {
        this.out = out;
        this.data = data;
        this.settings = settings;
        this.testLabels = data.test().labelMatrix();
        this.log = log;
        this.jobs = jobs;
    }

    /**
     * Every model's result, in the order the models were asked for; first waits for the models still training
     * ({@link #studentLater}), with the first failure's exception.
     */
    Map<String, ModelResult> results() {
        List<java.util.concurrent.Future<?>> waiting;
        synchronized (pending) {
            waiting = List.copyOf(pending);
        }
        for (java.util.concurrent.Future<?> f : waiting) {
            try {
                Jobs.await(f);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
        }
        Map<String, ModelResult> ordered = new LinkedHashMap<>();
        synchronized (order) {
            for (String id : order) {
                ModelResult r = results.get(id);
                if (r != null) {
                    ordered.put(id, r);
                }
            }
        }
        return java.util.Collections.unmodifiableMap(ordered);
    }

    /** Reports {@code result}, a model of another session of the same run (trained once, shown in both), as {@code id}. */
    void adopt(String id, ModelResult result) {
        declare(id);
        results.put(id, java.util.Objects.requireNonNull(result, id));
    }

    /** Declares that model {@code method} is to be compared with model {@code baseline} (multi-seed reports). */
    void compare(String label, String method, String baseline) {
        comparisons.add(new Comparison(label, method, baseline));
    }

    List<Comparison> comparisons() {
        return comparisons;
    }

    Backbone backbone(String name) {
        return BackboneTable.build(name, settings.width());
    }

    /** Trains a 12-lead teacher (BCE), or reuses this run's earlier one. */
    Teacher teacher(String id, String label, String backboneName) throws IOException {
        Backbone b = backbone(backboneName);
        String fp = fingerprint("teacher", b, "bce", "all");
        Path file = modelFile(id);
        declare(id);
        Teacher t = jobs.run(() -> {
            if (reusable(id, fp)) {
                log.println("== " + label + ": reusing " + file);
                Teacher reused = Teacher.load(file);
                record(id, label, "teacher", backboneName, reused, readHistory(id));
                return reused;
            }
            log.println("== " + label + ": " + backboneName + ", " + data.train().leads().size() + " leads, BCE");
            Progress p = progress(id, fp);
            Teacher trained = configure(Mvkt.teacher(b), id, p).trainOn(data);
            save(id, fp, trained, p.history());
            record(id, label, "teacher", backboneName, trained, p.history());
            return trained;
        });
        return remember(t, file);
    }

    /**
     * Trains a student on one lead: distilled from {@code teacher} with {@code loss}, or the BCE baseline when
     * {@code teacher} is null.
     */
    Student student(String id, String label, String backboneName, Teacher teacher, Lead lead, LossTerm loss)
            throws IOException {
        return student(id, label, backboneName, teacher, List.of(lead), loss);
    }

    /** As {@link #student(String, String, String, Teacher, Lead, LossTerm)}, on a lead subset. */
    Student student(String id, String label, String backboneName, Teacher teacher, List<Lead> leads, LossTerm loss)
            throws IOException {
        return student(id, label, backboneName, teacher, leads, loss, data, null);
    }

    /**
     * As {@link #student(String, String, String, Teacher, List, LossTerm)}, trained on {@code trainData} (a view of
     * this session's data with fewer labels: its test split is the session's) and started from {@code init} when
     * not null.
     */
    Student student(String id, String label, String backboneName, Teacher teacher, List<Lead> leads, LossTerm loss,
                    EcgDataset trainData, Pretrained init) throws IOException {
        return student(id, label, backboneName, teacher, leads, loss, trainData, init, settings.epochs());
    }

    /** As above, for {@code epochs} epochs instead of the run's (a control with as many steps as another model). */
    Student student(String id, String label, String backboneName, Teacher teacher, List<Lead> leads, LossTerm loss,
                    EcgDataset trainData, Pretrained init, int epochs) throws IOException {
        declare(id);
        return jobs.run(() -> trainStudent(id, label, backboneName, teacher, leads, loss, trainData, init, epochs));
    }

    /**
     * As {@link #student(String, String, String, Teacher, List, LossTerm, EcgDataset, Pretrained, int)}, but with
     * {@code --jobs} above one it returns at once and the model trains on a pool thread, with its own copy of the
     * teacher and encoder (read from their files: a network is not shared between threads); {@link #results()}
     * waits for it. {@code teacher} and {@code init} must come from this session.
     */
    void studentLater(String id, String label, String backboneName, Teacher teacher, List<Lead> leads, LossTerm loss,
                      EcgDataset trainData, Pretrained init, int epochs) throws IOException {
        declare(id);
        Path teacherFile = teacher == null ? null : fileOf(teacher);
        Path initFile = init == null ? null : fileOf(init);
        // Nothing of the model is kept but its result: dozens of finished students must not stay in memory.
        java.util.concurrent.Future<Void> f = jobs.submit(() -> {
            Teacher t = teacher == null || !jobs.parallel() ? teacher : Teacher.load(teacherFile);
            Pretrained p = init == null || !jobs.parallel() ? init : Pretrained.load(initFile);
            trainStudent(id, label, backboneName, t, leads, loss, trainData, p, epochs);
            return null;
        });
        synchronized (pending) {
            pending.add(f);
        }
    }

    /** Keeps where {@code model} is saved, for {@link #studentLater} on other threads; returns it. */
    private <M> M remember(M model, Path file) {
        synchronized (files) {
            files.put(model, file);
        }
        return model;
    }

    private Path fileOf(Object model) {
        synchronized (files) {
            Path f = files.get(model);
            if (f == null) {
                throw new IllegalArgumentException("a teacher or encoder not trained or loaded by this session");
            }
            return f;
        }
    }

    private void declare(String id) {
        synchronized (order) {
            if (!order.contains(id)) {
                order.add(id);
            }
        }
    }

    private Student trainStudent(String id, String label, String backboneName, Teacher teacher, List<Lead> leads,
                                 LossTerm loss, EcgDataset trainData, Pretrained init, int epochs) throws IOException {
        if (trainData.test() != data.test()) {
            throw new IllegalArgumentException("model " + id + " is trained on data with another test split");
        }
        Backbone b = backbone(backboneName);
        // One lead gives the fingerprint it always had, so earlier runs stay reusable.
        String names = leads.stream().map(Lead::label).collect(Collectors.joining(","));
        String fp = fingerprint("student", b, loss.name() + " " + canonical(loss.config()), names, trainData)
                + (teacher == null ? "" : " teacher=" + teacher.provenance().get("created"))
                + (init == null ? "" : " init=" + init.provenance().get("created"))
                + (epochs == settings.epochs() ? "" : " epochs-override=" + epochs);
        Path file = modelFile(id);
        if (reusable(id, fp)) {
            log.println("== " + label + ": reusing " + file);
            Student s = Student.load(file);
            record(id, label, "student", backboneName, s, readHistory(id));
            return s;
        }
        log.println("== " + label + ": " + backboneName + ", lead" + (leads.size() == 1 ? " " : "s ") + names
                + ", " + loss.name()
                + (teacher == null ? "" : ", teacher frozen") + (init == null ? "" : ", from the pretrained encoder")
                + (trainData == data ? "" : ", " + trainData.train().labelledCount() + " of "
                + trainData.train().size() + " training records labelled"));
        Progress p = progress(id, fp);
        StudentTrainer trainer = teacher == null ? Mvkt.student(b)
                : teacher.distillTo(b).optInitFromTeacher(settings.initFromTeacher());
        if (init != null) {
            trainer.optInitFrom(init);
        }
        Student s = configure(trainer.optLeads(leads).optLoss(loss), id, p).optEpochs(epochs).trainOn(trainData);
        save(id, fp, s, p.history());
        record(id, label, "student", backboneName, s, p.history());
        return s;
    }

    /**
     * Pretrains an encoder without labels on {@code records} ({@code recordsIdentity} names them), or reuses this
     * run's earlier one. It is not a classifier, so it has no test result.
     */
    Pretrained pretrained(String id, String label, String backboneName, List<Lead> leads, int epochs, int batch,
                          String recordsIdentity, Split... records) throws IOException {
        Backbone b = backbone(backboneName);
        String names = leads.stream().map(Lead::label).collect(Collectors.joining(","));
        String fp = "pretrained " + b.name() + " " + canonical(b.config()) + " leads=" + names + " epochs=" + epochs
                + " batch=" + batch + " " + settings.fingerprint() + " records=" + recordsIdentity;
        Path file = modelFile(id);
        Pretrained pre = jobs.run(() -> {
            if (reusable(id, fp)) {
                log.println("== " + label + ": reusing " + file);
                return Pretrained.load(file);
            }
            int n = 0;
            for (Split sp : records) {
                n += sp.size();
            }
            log.println("== " + label + ": " + backboneName + ", lead" + (leads.size() == 1 ? " " : "s ") + names
                    + ", " + n + " records, no labels");
            Progress p = progress(id, fp);
            Pretrained trained = Mvkt.pretrain(b).optLeads(leads).optEpochs(epochs).optBatchSize(batch)
                    .optSeed(settings.seed()).optDeterministic(settings.recipe().deterministic()).optListener(p)
                    .trainOn(records);
            trained.save(file);
            AtomicFiles.writeString(sideFile(id, ".provenance.txt"), provenanceText(trained.provenance()));
            EpochHistory.write(sideFile(id, ".history.json"), p.history());
            AtomicFiles.writeString(sideFile(id, ".settings"), fp);
            return trained;
        });
        return remember(pre, file);
    }

    /** Evaluates an already trained model (the {@code evaluate} command). */
    ModelResult evaluateOnly(String id, String label, MvktModel m, Path file) {
        declare(id);
        String kind = m instanceof Teacher ? "teacher" : "student";
        return add(id, label, kind, m.provenance().get("backbone.name"), m, List.of(), file.toString(), null);
    }

    /**
     * The progress listener of one model, keeping its epoch history beside its checkpoints. The file is named by a
     * hash of the run's fingerprint, as the trainer names its checkpoints, so a resumed run continues only the
     * history of the same settings.
     */
    private Progress progress(String id, String fingerprint) throws IOException {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(fingerprint.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        return Progress.forModel(id, log, checkpointDir(id).resolve("history-" + hash + ".json"), settings.resume());
    }

    private Path checkpointDir(String id) {
        return out.resolve("checkpoints").resolve(id);
    }

    private <B extends TrainingBuilder<B>> B configure(B b, String id, Progress p) {
        return settings.recipe().configure(b).optEpochs(settings.epochs()).optBatchSize(settings.batchSize())
                .optLearningRate(settings.learningRate()).optLearningRateSchedule(settings.schedule())
                .optSeed(settings.seed())
                .optEarlyStopping(settings.earlyStopping()).optListener(p)
                .optCheckpointDir(checkpointDir(id)).optResume(settings.resume());
    }

    private String fingerprint(String stage, Backbone b, String loss, String leads) {
        return fingerprint(stage, b, loss, leads, data);
    }

    private String fingerprint(String stage, Backbone b, String loss, String leads, EcgDataset trainData) {
        return stage + " " + b.name() + " " + canonical(b.config()) + " loss=" + loss + " leads=" + leads + " "
                + settings.fingerprint() + " data=" + trainData.identity();
    }

    /**
     * A map's text with its keys sorted, recursively. Configurations come as {@code Map.of}, whose iteration order
     * changes from one JVM to the next, so their plain {@code toString} cannot identify a run across processes.
     */
    static String canonical(Object o) {
        if (o instanceof Map<?, ?> m) {
            java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted.toString();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(Session::canonical).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(o);
    }

    Path modelFile(String id) {
        return out.resolve("models").resolve(id + ".mvkt");
    }

    private Path sideFile(String id, String suffix) {
        return out.resolve("models").resolve(id + suffix);
    }

    private boolean reusable(String id, String fingerprint) throws IOException {
        Path fp = sideFile(id, ".settings");
        return settings.resume() && Files.exists(modelFile(id)) && Files.exists(fp)
                && Files.readString(fp, StandardCharsets.UTF_8).equals(fingerprint);
    }

    private void save(String id, String fingerprint, MvktModel m, List<EpochReport> history) throws IOException {
        m.save(modelFile(id));
        AtomicFiles.writeString(sideFile(id, ".provenance.txt"), provenanceText(m));
        EpochHistory.write(sideFile(id, ".history.json"), history);
        // Written last: its presence says the model and its side files are complete.
        AtomicFiles.writeString(sideFile(id, ".settings"), fingerprint);
    }

    static String provenanceText(MvktModel m) {
        return provenanceText(m.provenance());
    }

    static String provenanceText(dev.mvkt.api.Provenance p) {
        return p.entries().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private List<EpochReport> readHistory(String id) throws IOException {
        return EpochHistory.read(sideFile(id, ".history.json"));
    }

    private void record(String id, String label, String kind, String backboneName, MvktModel m,
                        List<EpochReport> history) {
        add(id, label, kind, backboneName, m, history, modelFile(id).toString(),
                sideFile(id, ".provenance.txt").toString());
    }

    private ModelResult add(String id, String label, String kind, String backboneName, MvktModel m,
                            List<EpochReport> history, String file, String provenanceFile) {
        Evaluation test = m.evaluate(data.test());
        double[][] logits = m.logits(data.test());
        double[][] prob = m.probabilities(logits);
        CalibrationSummary calibration = CalibrationSummary.of(m, data, logits, prob);
        Stats.Interval ci = Stats.bootstrapMacroAuc(prob, testLabels, settings.bootstrap(), settings.seed());
        String leads = m.leads().stream().map(Lead::label).collect(Collectors.joining(","));
        String bestEpoch = m.provenance().get("training.bestEpoch");
        String bestVal = m.provenance().get("training.bestValAuc");
        ModelResult r = new ModelResult(id, label, kind, backboneName, leads,
                m.provenance().get("loss.expression"), test, prob, ci, new ArrayList<>(history), file,
                provenanceFile, bestEpoch == null ? 0 : Integer.parseInt(bestEpoch),
                bestVal == null ? Double.NaN : Double.parseDouble(bestVal), calibration);
        results.put(id, r);
        log.printf(Locale.ROOT, "   %s: test macro AUC %s (95%% CI %s), macro F1 %s, ECE %s -> %s%n", label,
                Report.pct(test.macroAuc()), Report.ci(ci), Report.pct(test.macroF1()),
                Report.pct(calibration.test().before()), Report.pct(calibration.test().after()));
        return r;
    }
}
