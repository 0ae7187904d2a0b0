package dev.mvkt.core;

import dev.mvkt.api.EpochReport;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.api.TrainingListener;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.DecayScope;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.EngineOptions;
import dev.mvkt.backbones.NetworkSpec;
import dev.mvkt.datasets.EcgDatasets;
import dev.mvkt.losses.NtXentLoss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Self-supervised pretraining of a backbone on unlabelled ECGs, CLECG-style: the paper (Section 5.5) pretrains its
 * students with CLECG (Chen et al. 2021a, contrastive learning between augmented views of the same ECG) but gives no
 * hyperparameters, so this is a SimCLR-style reading of it, not a reproduction. Each step draws two
 * {@linkplain EcgAugmentation augmented} views of every record of a batch, passes all 2B views through the backbone
 * in one training-mode batch, maps the pooled features through a projection MLP (features → features → 128, ReLU)
 * and minimises {@link NtXentLoss NT-Xent} (each view must pick out its partner among the batch's other 2B − 2
 * views). No label is read. Start with {@link Mvkt#pretrain(Backbone)}; the result starts a student through
 * {@link StudentTrainer#optInitFrom(Pretrained)}.
 *
 * <p>Without labels there is no validation score to choose an epoch by, so the last epoch is kept. Defaults: 20
 * epochs, batch 64 records (128 views), Adam 1e-3 with weight decay 1e-4, temperature 0.1, 128-d projections,
 * {@link EcgAugmentation#defaults()}.
 */
public final class Pretrainer {
    private final Backbone backbone;
    private List<Lead> leads = List.of(Lead.I);
    private int epochs = 20;
    private int batchSize = 64;
    private double learningRate = 1e-3;
    private double weightDecay = 1e-4;
    private double temperature = NtXentLoss.DEFAULT_TEMPERATURE;
    private int projectionDim = 128;
    private EcgAugmentation augmentation = EcgAugmentation.defaults();
    private boolean standardize = true;
    private long seed;
    private boolean deterministic;
    private TrainingListener listener = ConsoleProgress.stdout();
    private EngineOptions engine = EngineOptions.defaults();

    Pretrainer(Backbone backbone) {
        this.backbone = Objects.requireNonNull(backbone, "backbone");
    }

    /** The single lead to pretrain on (default I): the lead of the students it will start. */
    public Pretrainer optLead(Lead lead) {
        this.leads = List.of(Objects.requireNonNull(lead, "lead"));
        return this;
    }

    /** A lead subset to pretrain on; with several leads the augmentation's lead dropout applies. */
    public Pretrainer optLeads(List<Lead> leads) {
        if (leads == null || leads.isEmpty()) {
            throw new IllegalArgumentException("leads must name at least one lead, was " + leads);
        }
        this.leads = List.copyOf(leads);
        return this;
    }

    public Pretrainer optEpochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    /** Records per step (default 64); each gives two views, so the network sees twice as many inputs. */
    public Pretrainer optBatchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    public Pretrainer optLearningRate(double learningRate) {
        this.learningRate = learningRate;
        return this;
    }

    /** L2 weight decay on every parameter, as PyTorch Adam's {@code weight_decay} (default 1e-4). */
    public Pretrainer optWeightDecay(double weightDecay) {
        this.weightDecay = weightDecay;
        return this;
    }

    /** NT-Xent's temperature τ (default {@link NtXentLoss#DEFAULT_TEMPERATURE}). */
    public Pretrainer optTemperature(double temperature) {
        this.temperature = temperature;
        return this;
    }

    /** Output size of the projection MLP (default 128). */
    public Pretrainer optProjectionDim(int projectionDim) {
        this.projectionDim = projectionDim;
        return this;
    }

    /** How the two views of a record are drawn (default {@link EcgAugmentation#defaults()}). */
    public Pretrainer optAugmentation(EcgAugmentation augmentation) {
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
        return this;
    }

    /** Whether inputs are standardised with one mean and standard deviation of the pretraining records (default). */
    public Pretrainer optStandardize(boolean standardize) {
        this.standardize = standardize;
        return this;
    }

    /** Seed of the weights, the projection head, the shuffling and every augmentation. */
    public Pretrainer optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Pretrains reproducibly, as {@link TrainingBuilder#optDeterministic}: numeric kernels on one thread, so the same
     * seed and records on the same machine give the same encoder in every process (slower on several cores).
     */
    public Pretrainer optDeterministic(boolean deterministic) {
        this.deterministic = deterministic;
        return this;
    }

    /** Who hears about progress (the epoch reports have no validation AUC: NaN). */
    public Pretrainer optListener(TrainingListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Engine speed-ups ({@link EngineOptions}); they change speed only. */
    public Pretrainer optEngine(EngineOptions engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        return this;
    }

    /**
     * Pretrains on every record of {@code records} (their labels, if any, are never read), one after another as one
     * collection. The splits must share leads, sampling rate and length.
     *
     * @throws IllegalArgumentException naming the setting or split that is out of range
     */
    public Pretrained trainOn(Split... records) {
        validate(records);
        return deterministic ? EcgNetwork.singleThreaded(() -> train(records)) : train(records);
    }

    private Pretrained train(Split... records) {
        // Unlabelled whatever they were: nothing below may read a label.
        Split all = EcgDatasets.unlabelled(records);
        int n = all.size();
        Standardizer std = Standardizer.fitOrNone(all, standardize);
        EcgNetwork net = backbone.build(new NetworkSpec(leads.size(), 1, seed, new Adam(learningRate), weightDecay,
                DecayScope.ALL_PARAMETERS, engine));
        int featureDim = net.featureDim();
        ProjectionMlp head = new ProjectionMlp(featureDim, featureDim, projectionDim, learningRate, weightDecay, true,
                seed);
        NtXentLoss loss = NtXentLoss.of(temperature);
        Batches batches = new Batches(all, leads, std);
        double rate = all.samplingRate();
        int[] order = Batches.range(0, n);
        int steps = n / batchSize + (n % batchSize >= 2 ? 1 : 0);
        double lastLoss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            Trainer.shuffle(order, new Random(seed * 1_000_003L + epoch));
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                int[] idx = Arrays.copyOfRange(order, s * batchSize, Math.min(n, (s + 1) * batchSize));
                final int ep = epoch;
                // Each view's randomness is a function of (seed, epoch, record, view) alone, so the views do not
                // depend on which records share the batch.
                INDArray x = batches.views(idx, 2, (v, i, signal) -> augmentation.apply(signal, rate,
                        new SplittableRandom(mix(seed, ep, idx[i], v))));
                double v = step(net, head, loss, x, idx.length);
                if (!Double.isFinite(v)) {
                    throw new IllegalStateException("pretraining: loss is " + v + " at epoch " + epoch + ", step "
                            + (s + 1) + "; lower the learning rate or check the data for extreme values");
                }
                sum += v;
                listener.onStep("pretrain", epoch, s + 1, steps, v);
            }
            net.incrementEpoch();
            lastLoss = sum / steps;
            listener.onEpoch(new EpochReport("pretrain", epoch, epochs, lastLoss, Map.of("nt-xent", lastLoss),
                    Double.NaN, (System.nanoTime() - start) / 1_000_000, epoch == epochs));
        }
        Provenance prov = Provenance.builder()
                .put("stage", "pretrained")
                .put("created", Instant.now().toString())
                .put("versions.mvkt", Versions.mvkt())
                .put("versions.dl4j", Versions.dl4j())
                .put("versions.java", System.getProperty("java.version"))
                .put("backbone.name", backbone.name())
                .put("backbone", backbone.config())
                .put("method", "CLECG-style contrastive pretraining (SimCLR NT-Xent between two augmented views; "
                        + "the paper gives no hyperparameters)")
                .put("pretraining.epochs", epochs)
                .put("pretraining.batchSize", batchSize)
                .put("pretraining.optimizer", "adam")
                .put("pretraining.learningRate", learningRate)
                .put("pretraining.weightDecay", weightDecay)
                .put("pretraining.temperature", temperature)
                .put("pretraining.projection", featureDim + "-" + featureDim + "-" + projectionDim + " MLP, ReLU")
                .put("pretraining.finalLoss", lastLoss)
                .put("pretraining.kept", "last epoch (no labels to select on)")
                .put("pretraining.seed", seed)
                .put("pretraining.deterministic", deterministic)
                .put("pretraining.standardize", standardize)
                .put("augmentation", augmentation.config())
                .put("loss", loss.config())
                .put("engine", engine.describe())
                .put("leads", leads)
                .put("standardize.mean", std.mean())
                .put("standardize.std", std.std())
                .put("data.records", n)
                .put("data.parts", describe(records))
                .put("data.labelsRead", false)
                .put("data.samplingRate", rate)
                .put("data.length", all.length())
                .build();
        return new Pretrained(new TrainedModel("pretrained", net, leads, LabelSet.of(Pretrained.PLACEHOLDER_CLASS),
                new double[]{0.5}, std, rate, all.length(), prov));
    }

    /** One contrastive step on the 2B views {@code x} (view 1 of every record, then view 2); returns the loss. */
    private static double step(EcgNetwork net, ProjectionMlp head, NtXentLoss loss, INDArray x, int b) {
        double[] value = new double[1];
        net.trainStep(x, o -> {
            INDArray f = o.features();
            ProjectionMlp.Pass p = head.forward(f);
            double[][] z = p.out();
            NtXentLoss.Value v = loss.compute(Arrays.copyOfRange(z, 0, b), Arrays.copyOfRange(z, b, 2 * b));
            value[0] = v.value();
            double[][] dz = new double[2 * b][];
            System.arraycopy(v.dA(), 0, dz, 0, b);
            System.arraycopy(v.dB(), 0, dz, b, b);
            INDArray dFeatures = head.backwardAndStep(f, p, dz);
            return new EcgNetwork.Outputs(null, dFeatures.castTo(DataType.FLOAT));
        });
        return value[0];
    }

    private void validate(Split[] records) {
        if (records == null || records.length == 0) {
            throw new IllegalArgumentException("pretraining needs at least one split of records");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2 (each record's partner view needs other "
                    + "records as negatives), was " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, was " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and finite, was " + weightDecay);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, was " + temperature);
        }
        if (projectionDim < 1) {
            throw new IllegalArgumentException("projectionDim must be >= 1, was " + projectionDim);
        }
        Split first = Objects.requireNonNull(records[0], "records[0]");
        int total = 0;
        for (int k = 0; k < records.length; k++) {
            total += Objects.requireNonNull(records[k], "records[" + k + "]").size();
        }
        for (Lead l : leads) {
            if (!first.leads().contains(l)) {
                throw new IllegalArgumentException("the records have no lead " + l + "; they have " + first.leads());
            }
        }
        if (total < 2) {
            throw new IllegalArgumentException("pretraining needs at least 2 records, got " + total);
        }
    }

    private static String describe(Split[] records) {
        List<String> parts = new ArrayList<>();
        for (Split s : records) {
            parts.add(s.size() + " records");
        }
        return String.join(" + ", parts);
    }

    /** SplitMix64 over the inputs: unrelated streams for neighbouring (epoch, record, view). */
    private static long mix(long seed, long epoch, long record, long view) {
        long z = seed;
        for (long x : new long[]{epoch, record, view}) {
            z += 0x9E3779B97F4A7C15L + x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
        }
        return z;
    }

}
