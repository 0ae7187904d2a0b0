package dev.mvkt.samples.cli;

import dev.mvkt.api.Lead;
import dev.mvkt.api.LossTerm;
import dev.mvkt.losses.Losses;
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

        @Option(names = "--epochs", defaultValue = "10", paramLabel = "N",
                description = "Epochs per model; the epoch kept is the best on validation macro AUC. "
                        + "Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
                description = "Batch size (>= 2). Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "X",
                description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
        double learningRate;

        @Option(names = "--lr-schedule", defaultValue = "constant", paramLabel = "NAME",
                description = "Learning-rate schedule: constant, or paper-code (the MVKT-ECG code's: warm-up "
                        + "1e-4*(epoch+1) for 15 epochs, then x0.1 from epochs 40 and 70, as factors on --lr). "
                        + "Default: ${DEFAULT-VALUE}.")
        String lrSchedule;

        @Option(names = "--init-from-teacher",
                description = "Start distilled students from the teacher's weights wherever names and shapes match "
                        + "(all but the first convolution for the same backbone) instead of random weights.")
        boolean initFromTeacher;

        @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "N",
                description = "Stop a model after N epochs without a gain in validation macro AUC; 0 trains every "
                        + "epoch. Default: ${DEFAULT-VALUE}.")
        int earlyStopping;

        @Option(names = "--resume",
                description = "Continue an interrupted run in the same --out with the same options: finished models "
                        + "are reused, the interrupted one continues from its last epoch checkpoint.")
        boolean resume;

        /** Checks what can be checked before any data or engine is loaded. */
        void validate() {
            positive("--epochs", epochs, 1);
            positive("--batch-size", batchSize, 2);
            positive("--width", width, 0);
            positive("--early-stopping", earlyStopping, 0);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("--lr must be positive and finite, was " + learningRate);
            }
            if (!Settings.SCHEDULES.contains(lrSchedule)) {
                throw new IllegalArgumentException("--lr-schedule must be one of " + Settings.SCHEDULES + ", was "
                        + lrSchedule);
            }
        }

        Settings settings(DataOptions d) {
            return new Settings(epochs, batchSize, learningRate, lrSchedule, initFromTeacher, d.seed, earlyStopping,
                    resume, width, d.bootstrap);
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
                description = "Weight of MKD (multi-label distillation, T = 1.5) in BCE + alpha MKD + beta CLT; "
                        + "0 leaves it out. Default: ${DEFAULT-VALUE}.")
        double alpha;

        @Option(names = "--beta", defaultValue = "0.8", paramLabel = "X",
                description = "Weight of CLT (contrastive lead transfer, InfoNCE, K = 1024, tau = 0.07); 0 leaves "
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

        LossTerm mvktLoss() {
            return loss(alpha, beta);
        }
    }

    /** BCE plus the weighted MKD and CLT terms; a zero weight leaves its term out (and its cost). */
    static LossTerm loss(double alpha, double beta) {
        LossTerm loss = Losses.bce();
        if (alpha > 0) {
            loss = loss.plus(Losses.mkd().weight(alpha));
        }
        if (beta > 0) {
            loss = loss.plus(Losses.clt().weight(beta));
        }
        return loss;
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
