package dev.mvkt.samples.cli;

import dev.mvkt.api.Lead;
import dev.mvkt.api.LossTerm;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Option groups shared by the subcommands (picocli mixins), and their converters. */
final class Options {
    private Options() {
    }

    /** Which data, where the outputs go, and how the test scores are reported. */
    static final class DataOptions {
        @Option(names = "--data", defaultValue = "synthetic", paramLabel = "SPEC", converter = DataConverter.class,
                description = "Dataset: ${DEFAULT-VALUE} (embedded, generated from --seed), ptbxl:PATH[:task] "
                        + "(task: superdiagnostic (default), subdiagnostic, diagnostic, form, rhythm, all), "
                        + "cpsc2018:PATH[:denoise] (seeded stratified folds; denoise: the paper code's db6 wavelet "
                        + "denoising) or cinc:PATH (CinC 2020/21 WFDB, SNOMED codes "
                        + "mapped to the 9 CPSC classes). Default: ${DEFAULT-VALUE}.")
        DataSpec data;

        @Option(names = "--train", defaultValue = "2000", paramLabel = "N",
                description = "Synthetic data only: training records. Default: ${DEFAULT-VALUE}.")
        int train;

        @Option(names = "--val", defaultValue = "500", paramLabel = "N",
                description = "Synthetic data only: validation records. Default: ${DEFAULT-VALUE}.")
        int val;

        @Option(names = "--test", defaultValue = "1000", paramLabel = "N",
                description = "Synthetic data only: test records. Default: ${DEFAULT-VALUE}.")
        int test;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
                description = "Seed of the synthetic data, the CPSC/CinC folds, weight initialisation, shuffling "
                        + "and the bootstrap. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--seeds", paramLabel = "LIST", split = ",",
                description = "Run the whole command once per seed (each replaces --seed: data, folds, weights, "
                        + "shuffling, bootstrap), e.g. 0,1,2. Each run goes to OUT/seed-N; OUT/report.md gives mean "
                        + "± sd per metric and, for each method against its BCE baseline, the per-seed paired "
                        + "differences with a 95%% t-interval across seeds and the pooled paired bootstrap.")
        List<Long> seeds;

        @Option(names = "--split-dir", paramLabel = "DIR",
                description = "cpsc2018 only: the folder with the official split CSVs (train_reference.csv, "
                        + "val_reference.csv, test_reference.csv) instead of seeded stratified folds.")
        Path splitDir;

        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "ptbxl, cpsc2018 and cinc: the folder for the datasets' float32 cache (built on first "
                        + "load, reused after). Default: ~/.cache/mvkt.")
        Path cacheDir;

        @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N",
                description = "Bootstrap resamples of the test set for the 95%% CIs of macro AUC (seeded by "
                        + "--seed); 0 leaves them out. Default: ${DEFAULT-VALUE}.")
        int bootstrap;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Output folder for report.md, results.json, the PNG plots, models/ (.mvkt and "
                        + "provenance) and checkpoints/. Default: mvkt-out/<command>.")
        Path out;

        void validate() {
            positive("--bootstrap", bootstrap, 0);
            if (seeds != null) {
                if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
                    throw new IllegalArgumentException("--seeds must list distinct seeds, was " + seeds);
                }
            }
            if (splitDir != null) {
                if (data.kind() != DataSpec.Kind.CPSC2018) {
                    throw new IllegalArgumentException("--split-dir applies to --data cpsc2018:PATH, not " + data);
                }
                if (!java.nio.file.Files.isDirectory(splitDir)) {
                    throw new IllegalArgumentException("--split-dir " + splitDir + " is not a folder");
                }
            }
            if (cacheDir != null && data.kind() == DataSpec.Kind.SYNTHETIC) {
                throw new IllegalArgumentException("--cache-dir applies to ptbxl, cpsc2018 and cinc data (synthetic "
                        + "records are generated, not cached), not " + data);
            }
            if (data.kind() == DataSpec.Kind.SYNTHETIC) {
                positive("--train", train, 2);
                positive("--val", val, 2);
                positive("--test", test, 2);
            }
        }

        Path out(String command) {
            return out != null ? out : Path.of("mvkt-out", command);
        }
    }

    /** How every model of a run is trained. */
    static final class TrainOptions {
        @Option(names = "--backbone", defaultValue = BackboneTable.DEFAULT, paramLabel = "NAME",
                description = "Teacher backbone: cnn_hannun, resnet1d34, resnet1d_wang, inception1d, xresnet1d101 "
                        + "(experiment table2 also takes a comma-separated list or 'all'). Default: ${DEFAULT-VALUE}.")
        String backbone;

        @Option(names = "--width", defaultValue = "0", paramLabel = "N",
                description = "Main channel count of every backbone (filters for cnn_hannun and inception1d); 0 "
                        + "keeps the paper's reference configuration. Small values (4-32) make quick runs. "
                        + "Default: ${DEFAULT-VALUE}.")
        int width;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Epochs per model; the epoch kept is the best on validation macro AUC. "
                        + "Default: the recipe's (paper: 10, official-code: 100).")
        Integer epochs;

        @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
                description = "Batch size (>= 2). Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "X",
                description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
        double learningRate;

        @Option(names = "--lr-schedule", paramLabel = "NAME",
                description = "Learning-rate schedule: constant, or paper-code (the MVKT-ECG code's: warm-up "
                        + "1e-4*(epoch+1) for epochs 0-14, then the base rate 1e-3 from epoch 15, 1e-4 from 40 and "
                        + "1e-5 from 70, as factors on --lr). Default: the recipe's (paper: constant, "
                        + "official-code: paper-code).")
        String lrSchedule;

        @Option(names = "--recipe", defaultValue = "paper", paramLabel = "NAME",
                description = "Preset of the method's settings: paper (MKD paper form T=1.5, CLT InfoNCE, uniform "
                        + "negatives, constant rate, thresholds on validation, 10 epochs) or official-code (the "
                        + "public code: MKD code form T=1, CLT NCE, first-label negatives, --lr-schedule paper-code, "
                        + "thresholds 0.5, 100 epochs). Each flag below, given explicitly, overrides it. "
                        + "Default: ${DEFAULT-VALUE}.")
        String recipe;

        @Option(names = "--mkd-form", paramLabel = "FORM",
                description = "MKD: paper (softmax over [p, 1-p]/T, T^2 scaling) or official-code. "
                        + "Default: the recipe's.")
        String mkdForm;

        @Option(names = "--mkd-temperature", paramLabel = "T",
                description = "MKD temperature. Default: the MKD form's (paper 1.5, official-code 1).")
        Double mkdTemperature;

        @Option(names = "--clt-form", paramLabel = "FORM",
                description = "CLT: infonce (paper) or nce (code). Default: the recipe's.")
        String cltForm;

        @Option(names = "--clt-negatives", paramLabel = "K",
                description = "CLT negatives per anchor. Default: 1024.")
        Integer cltNegatives;

        @Option(names = "--clt-temperature", paramLabel = "TAU",
                description = "CLT temperature. Default: 0.07.")
        Double cltTemperature;

        @Option(names = "--clt-momentum", paramLabel = "M",
                description = "Momentum of CLT's memory-bank update. Default: 0.5.")
        Double cltMomentum;

        @Option(names = "--negative-sampling", paramLabel = "RULE",
                description = "Where CLT's negatives come from: uniform, first-label (records whose first listed "
                        + "label differs: CPSC's First_label, CinC's first #Dx code) or first-bit (the code's PTB-XL "
                        + "rule, label[i][0]). Default: the recipe's (paper: uniform, official-code: first-label).")
        String negativeSampling;

        @Option(names = "--thresholds", paramLabel = "RULE",
                description = "Class thresholds for accuracy, F1 and diagnose: val (best F1 on validation) or 0.5 "
                        + "(the paper's). Default: the recipe's (paper: val, official-code: 0.5).")
        String thresholds;

        @Option(names = "--standardize", paramLabel = "RULE",
                description = "Input standardisation: train (one mean/std fitted on the training split) or none "
                        + "(millivolts, as the code on CPSC2018). Default: train.")
        String standardize;

        @Option(names = "--weight-decay", paramLabel = "X",
                description = "L2 weight decay, as PyTorch Adam's weight_decay. Default: 1e-4.")
        Double weightDecay;

        @Option(names = "--weight-decay-scope", paramLabel = "SCOPE",
                description = "all (every parameter, biases and batch-norm gamma/beta too, as PyTorch's Adam) or "
                        + "weights (DL4J's weights-only L2). Default: all.")
        String weightDecayScope;

        @Option(names = "--deterministic",
                description = "Train reproducibly: the same seed on the same machine gives identical models and "
                        + "metrics in every process (numeric kernels on one thread; slower on several cores).")
        boolean deterministic;

        @Option(names = "--init-from-teacher",
                description = "Start distilled students from the teacher's weights wherever names and shapes match "
                        + "(all but the first convolution for the same backbone) instead of random weights.")
        boolean initFromTeacher;

        @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "N",
                description = "Stop a model after N epochs without a gain in validation macro AUC; 0 trains every "
                        + "epoch. Default: ${DEFAULT-VALUE}.")
        int earlyStopping;

        @Option(names = "--jobs", defaultValue = "1", paramLabel = "N",
                description = {"Models trained at once, each on one thread (implies --deterministic): with --seeds "
                        + "the seeds run side by side, and experiment fractions also trains a seed's students side by "
                        + "side. On a machine of N cores, --jobs N finishes a many-model run about N/1.3 times "
                        + "sooner than one model at a time on every core. Models are the same as with --jobs 1 "
                        + "--deterministic. Default: ${DEFAULT-VALUE}."})
        int jobs;

        @Option(names = "--resume",
                description = "Continue an interrupted run in the same --out with the same options: finished models "
                        + "are reused, the interrupted one continues from its last epoch checkpoint.")
        boolean resume;

        /** Checks what can be checked before any data or engine is loaded. */
        void validate() {
            recipe();
            positive("--batch-size", batchSize, 2);
            positive("--width", width, 0);
            positive("--early-stopping", earlyStopping, 0);
            positive("--jobs", jobs, 1);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("--lr must be positive and finite, was " + learningRate);
            }
        }

        /** The preset with every explicitly given knob put over it. */
        Recipe recipe() {
            return new Recipe.Knobs(recipe, epochs, lrSchedule, mkdForm, mkdTemperature, cltForm, cltNegatives,
                    cltTemperature, cltMomentum, negativeSampling, thresholds, standardize, weightDecay,
                    weightDecayScope, deterministic || jobs > 1).resolve();
        }

        Settings settings(DataOptions d) {
            Recipe r = recipe();
            return new Settings(r.epochs(), batchSize, learningRate, r.lrSchedule(), initFromTeacher, d.seed,
                    earlyStopping, resume, width, d.bootstrap, r, jobs);
        }
    }

    /** What the student reads and how it is distilled. */
    static final class StudentOptions {
        @Option(names = "--student-backbone", paramLabel = "NAME",
                description = "Student backbone (same names as --backbone). Default: the teacher's.")
        String studentBackbone;

        @Option(names = "--lead", defaultValue = "I", paramLabel = "LEAD", converter = LeadConverter.class,
                description = "The student's lead: I, II, III, aVR, aVL, aVF, V1-V6 (case-insensitive). "
                        + "Default: ${DEFAULT-VALUE}.")
        Lead lead;

        @Option(names = "--alpha", defaultValue = "1.0", paramLabel = "X",
                description = "Weight of MKD (multi-label distillation; form and T from the recipe) in BCE + alpha "
                        + "MKD + beta CLT; "
                        + "0 leaves it out. Default: ${DEFAULT-VALUE}.")
        double alpha;

        @Option(names = "--beta", defaultValue = "0.8", paramLabel = "X",
                description = "Weight of CLT (contrastive lead transfer; form, K, tau, momentum from the recipe); 0 leaves "
                        + "it out. Default: ${DEFAULT-VALUE}.")
        double beta;

        void validate() {
            if (studentBackbone != null) {
                BackboneTable.check(studentBackbone);
            }
            weight("--alpha", alpha);
            weight("--beta", beta);
        }

        String studentBackbone(String teacherBackbone) {
            return studentBackbone != null ? studentBackbone : teacherBackbone;
        }

        /** BCE + alpha MKD + beta CLT with the run's recipe. */
        LossTerm mvktLoss(Settings settings) {
            return settings.recipe().loss(alpha, beta);
        }
    }

    /**
     * A comma-separated list of {@code choices} named by {@code id}, or "all" for every choice in order: each named
     * once, an unknown or repeated name refused naming {@code option} and the accepted names.
     */
    static <E> List<E> parseChoices(String option, String text, List<E> choices,
                                    java.util.function.Function<E, String> id) {
        if (text.trim().equalsIgnoreCase("all")) {
            return List.copyOf(choices);
        }
        List<E> out = new ArrayList<>();
        for (String name : text.split(",")) {
            String n = name.trim().toLowerCase(java.util.Locale.ROOT);
            E m = choices.stream().filter(x -> id.apply(x).equals(n)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(option + ": unknown method '" + name.trim()
                            + "'; expected " + String.join(", ", choices.stream().map(id).toList()) + " or all"));
            if (out.contains(m)) {
                throw new IllegalArgumentException(option + ": '" + id.apply(m) + "' is listed twice");
            }
            out.add(m);
        }
        return out;
    }

    static void positive(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
    }

    static void weight(String name, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, was " + w);
        }
    }

    static List<Lead> parseLeads(String text) {
        if (text.trim().equalsIgnoreCase("all")) {
            return Lead.STANDARD_12;
        }
        List<Lead> out = new ArrayList<>();
        for (String n : text.split(",")) {
            Lead l = Lead.parse(n.trim());
            if (out.contains(l)) {
                throw new IllegalArgumentException("lead " + l + " is listed twice");
            }
            out.add(l);
        }
        return out;
    }

    static final class DataConverter implements ITypeConverter<DataSpec> {
        @Override
        public DataSpec convert(String value) {
            try {
                return DataSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class LeadConverter implements ITypeConverter<Lead> {
        @Override
        public Lead convert(String value) {
            try {
                return Lead.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
