package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.api.TrainingListener;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.DecayScope;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.EngineOptions;
import dev.mvkt.backbones.NetworkSpec;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options shared by teacher and student training. Defaults are the paper's: Adam, learning rate 1e-3, weight decay
 * 1e-4, batch 32; 20 epochs (the paper trains 100; choose by your data).
 *
 * @param <B> the concrete builder, so that chained calls keep their type
 */
public abstract class TrainingBuilder<B extends TrainingBuilder<B>> {
    final Backbone backbone;
    int epochs = 20;
    int batchSize = 32;
    double learningRate = 1e-3;
    LearningRateSchedule schedule = LearningRateSchedule.constant();
    double weightDecay = 1e-4;
    DecayScope decayScope = DecayScope.ALL_PARAMETERS;
    boolean standardize = true;
    Thresholds thresholds = Thresholds.VALIDATION_F1;
    Calibration calibration = Calibration.TEMPERATURE;
    boolean deterministic;
    long seed = 0;
    TrainingListener listener = ConsoleProgress.stdout();
    LossTerm loss;
    int patience;
    Path checkpointDir;
    boolean resume;
    EngineOptions engine = EngineOptions.defaults();

    TrainingBuilder(Backbone backbone) {
        this.backbone = Objects.requireNonNull(backbone, "backbone");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Number of passes over the training split; the epoch kept is the best on validation macro AUC. */
    public B optEpochs(int epochs) {
        this.epochs = epochs;
        return self();
    }

    public B optBatchSize(int batchSize) {
        this.batchSize = batchSize;
        return self();
    }

    /** Adam's learning rate, for the network and the projection heads. */
    public B optLearningRate(double learningRate) {
        this.learningRate = learningRate;
        return self();
    }

    /**
     * How the learning rate moves over epochs (default {@link LearningRateSchedule#constant()}); e.g.
     * {@link LearningRateSchedule#paperCode()} for the MVKT-ECG code's warm-up and steps.
     */
    public B optLearningRateSchedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        return self();
    }

    /** L2 weight decay, as PyTorch Adam's {@code weight_decay}. */
    public B optWeightDecay(double weightDecay) {
        this.weightDecay = weightDecay;
        return self();
    }

    /**
     * Which parameters the weight decay applies to: {@link DecayScope#ALL_PARAMETERS} (default: biases and batch
     * norm's gamma and beta too, as PyTorch's Adam and so the reference code), or {@link DecayScope#WEIGHTS_ONLY}.
     */
    public B optWeightDecayScope(DecayScope scope) {
        this.decayScope = Objects.requireNonNull(scope, "scope");
        return self();
    }

    /**
     * Whether inputs are standardised with one mean and standard deviation fitted on the training split (default
     * true, the PTB-XL benchmark protocol); false feeds millivolts, as the MVKT-ECG code does on CPSC2018. A student
     * distilled from a teacher always uses the teacher's standardisation, so this applies to teachers and baselines.
     */
    public B optStandardize(boolean standardize) {
        this.standardize = standardize;
        return self();
    }

    /** How class thresholds are set: chosen on validation (default) or fixed at 0.5, as the paper's ACC and F1. */
    public B optThresholds(Thresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        return self();
    }

    /**
     * How the kept model's probabilities are calibrated on validation: {@link Calibration#TEMPERATURE} (default, a
     * temperature per class; the classes' rankings and AUCs are unchanged) or {@link Calibration#NONE}. The
     * thresholds are chosen on the calibrated probabilities, which {@code diagnose}, {@code probabilities},
     * {@code evaluate} and the ONNX export all give.
     */
    public B optCalibration(Calibration calibration) {
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        return self();
    }

    /**
     * Trains reproducibly: the same seed, data and settings on the same machine give the same parameters and
     * metrics in every process. It runs the numeric kernels on one thread (threaded float reductions change with
     * the thread schedule), so training is slower on a multi-core machine; see {@code docs/reproducibility.md}.
     */
    public B optDeterministic(boolean deterministic) {
        this.deterministic = deterministic;
        return self();
    }

    /** Seed of weight initialisation, shuffling, dropout and loss-term randomness. */
    public B optSeed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Who hears about progress; the default prints a line per epoch. */
    public B optListener(TrainingListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /** The training objective, e.g. {@code Losses.bce().plus(Losses.mkd().weight(1.0))}. */
    public B optLoss(LossTerm loss) {
        this.loss = Objects.requireNonNull(loss, "loss");
        return self();
    }

    /**
     * Stops when validation macro AUC has not improved for {@code patience} epochs (default 0: train all epochs).
     */
    public B optEarlyStopping(int patience) {
        this.patience = patience;
        return self();
    }

    /**
     * Writes the complete training state to {@code dir} after every epoch (atomically), so that a run interrupted
     * at any point can {@link #optResume resume}.
     */
    public B optCheckpointDir(Path dir) {
        this.checkpointDir = Objects.requireNonNull(dir, "dir");
        return self();
    }

    /**
     * Continues from this run's checkpoint in the {@link #optCheckpointDir checkpoint directory}, if one exists;
     * a checkpoint is matched to the run by its settings, data and network, so another run's is never used.
     */
    public B optResume(boolean resume) {
        this.resume = resume;
        return self();
    }

    /**
     * Which engine speed-ups training and the trained model's inference use (default: all on where they apply; see
     * {@link EngineOptions}). They change speed and memory only; provenance records them with their effect here.
     */
    public B optEngine(EngineOptions engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        return self();
    }

    void validate(EcgDataset data) {
        Objects.requireNonNull(data, "data");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2 (batch norm needs two records), was "
                    + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, was " + learningRate);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("early-stopping patience must be >= 0, was " + patience);
        }
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("resume needs a checkpoint directory (optCheckpointDir)");
        }
        for (int e = 0; e < epochs; e++) {
            double f = schedule.factor(e);
            if (!(f > 0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException("learning-rate schedule " + schedule.name() + " gives factor " + f
                        + " at epoch " + e + "; factors must be positive and finite");
            }
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and finite, was " + weightDecay);
        }
        for (Split s : new Split[]{data.train(), data.val()}) {
            if (s.size() < 2) {
                throw new IllegalArgumentException("dataset " + data.identity() + " has a split of " + s.size()
                        + " records; training and validation need at least 2");
            }
        }
        int unlabelledVal = data.val().size() - data.val().labelledCount();
        if (unlabelledVal > 0) {
            throw new IllegalArgumentException("dataset " + data.identity() + ": " + unlabelledVal + " of the "
                    + data.val().size() + " validation records are unlabelled; validation chooses the epoch, the "
                    + "calibration and the thresholds, and needs every label");
        }
    }

    EcgNetwork buildNetwork(int leads, int classes) {
        // Nd4j seeds dropout from the graph seed; a distinct stream per stage keeps teacher and student independent.
        return backbone.build(new NetworkSpec(leads, classes, seed, adam(), weightDecay, decayScope, engine));
    }

    /**
     * Adam at the base rate, or with DL4J's per-epoch {@link MapSchedule} of the schedule's rates: the network
     * counts its epochs, and a map schedule is saved with the model like any DL4J configuration.
     */
    private Adam adam() {
        if (schedule == LearningRateSchedule.constant()) {
            return new Adam(learningRate);
        }
        Map<Integer, Double> rates = new HashMap<>();
        for (int e = 0; e < epochs; e++) {
            rates.put(e, learningRate * schedule.factor(e));
        }
        return new Adam(new MapSchedule(ScheduleType.EPOCH, rates));
    }

    /** How the network starts, for provenance and checkpoint matching; students may start from the teacher. */
    String initialisation() {
        return "random";
    }

    TrainingOptions options() {
        return new TrainingOptions(epochs, batchSize, learningRate, schedule, weightDecay, decayScope, thresholds,
                deterministic, seed, listener, patience, checkpointDir, resume, initialisation(), calibration,
                engine);
    }

    Provenance.Builder provenance(String stage, EcgDataset data, Trainer.Result result) {
        Provenance.Builder p = Provenance.builder()
                .put("stage", stage)
                .put("created", Instant.now().toString())
                .put("versions.mvkt", Versions.mvkt())
                .put("versions.dl4j", Versions.dl4j())
                .put("versions.java", System.getProperty("java.version"))
                .put("backbone.name", backbone.name())
                .put("backbone", backbone.config())
                .put("training.epochs", epochs)
                .put("training.batchSize", batchSize)
                .put("training.optimizer", "adam")
                .put("training.learningRate", learningRate)
                .put("training.learningRateSchedule", schedule.name())
                .put("training.weightDecay", weightDecay)
                .put("training.weightDecayScope", decayScope.name())
                .put("training.standardize", standardize)
                .put("training.thresholds", thresholds.name())
                .put("training.deterministic", deterministic)
                .put("training.seed", seed)
                .put("training.bestEpoch", result.bestEpoch())
                .put("training.earlyStoppingPatience", patience)
                .put("training.selection", "best validation macro AUC")
                .put("training.bestValAuc", result.bestValAuc())
                .put("calibration.method", calibration.name())
                .put("calibration", result.calibration())
                .put("engine", engine.describe())
                .put("loss.expression", loss.name())
                .put("loss", loss.config())
                .put("data.identity", data.identity())
                .put("data.train.size", data.train().size())
                .put("data.train.labelled", data.train().labelledCount())
                .put("data.train.used", loss.needsTeacher() ? "all records (unlabelled ones through the teacher's "
                        + "terms only)" : "labelled records only")
                .put("data.val.size", data.val().size())
                .put("data.test.size", data.test().size())
                .put("data.samplingRate", data.train().samplingRate())
                .put("data.length", data.train().length())
                .put("data.labels", String.join(",", data.labels().names()));
        return p;
    }
}
