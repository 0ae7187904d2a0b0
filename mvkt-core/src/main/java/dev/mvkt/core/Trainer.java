package dev.mvkt.core;

import dev.mvkt.api.EpochReport;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.DecayScope;
import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The one training loop of both stages. Stage 1 is this loop with loss BCE and no teacher; stage 2 adds the frozen
 * teacher (inference mode: running BN statistics, no dropout, no gradient) and, when the loss asks for embeddings,
 * the two projection heads.
 *
 * <p>The epoch kept is the one with the best validation macro AUC; the test split is never looked at here. With a
 * checkpoint directory, the whole training state (network and optimiser, best parameters so far, projection heads,
 * loss-term state such as CLT's memory banks) is written atomically after every epoch, and a resumed run continues
 * after the last completed epoch; DL4J's dropout masks are not part of the state, so a resumed run is equivalent to,
 * not bit-identical with, an uninterrupted one.
 */
final class Trainer {

    /**
     * What a finished run produced.
     *
     * @param validation   the kept parameters' validation scores, with calibrated probabilities and the thresholds
     *                     chosen on them
     * @param temperatures per-class calibration temperatures (all 1 without calibration)
     * @param calibration  validation NLL and ECE before and after calibration, for provenance
     */
    record Result(int bestEpoch, double bestValAuc, MultiLabelEvaluation validation, double[] temperatures,
                  Map<String, Double> calibration) {
    }

    private final String stage;
    private final EcgNetwork net;
    private final Batches input;
    private final Split train;
    private final Split val;
    private final Batches valInput;
    private final LossTerm loss;
    private final EcgNetwork teacher;
    private final Batches teacherInput;
    private final TrainingOptions opts;
    private static final String CHECKPOINT_MAGIC = "mvkt-checkpoint-1";
    private ProjectionHead studentHead;
    private ProjectionHead teacherHead;
    private int epochsDone;
    private int bestEpoch;
    private double bestAuc = Double.NEGATIVE_INFINITY;
    private INDArray bestParams;
    private TeacherOutputs teacherOutputs;

    Trainer(String stage, EcgNetwork net, Batches input, Split train, Split val, Batches valInput, LossTerm loss,
            EcgNetwork teacher, Batches teacherInput, TrainingOptions opts) {
        this.stage = stage;
        this.net = net;
        this.input = input;
        this.train = train;
        this.val = val;
        this.valInput = valInput;
        this.loss = loss;
        this.teacher = teacher;
        this.teacherInput = teacherInput;
        this.opts = opts;
        if (loss.needsTeacher() && teacher == null) {
            throw new IllegalStateException("loss '" + loss.name() + "' needs a teacher; train the student with "
                    + "teacher.distillTo(...)");
        }
    }

    Result run() {
        return opts.deterministic() ? EcgNetwork.singleThreaded(this::train) : train();
    }

    private Result train() {
        int n = train.size();
        if (n < 2) {
            throw new IllegalArgumentException("the training split has " + n + " records; at least 2 are needed");
        }
        int[] firstLabels = new int[n];
        boolean[] labelled = new boolean[n];
        int labelledCount = 0;
        for (int i = 0; i < n; i++) {
            firstLabels[i] = train.firstLabel(i);
            labelled[i] = train.isLabelled(i);
            labelledCount += labelled[i] ? 1 : 0;
        }
        // Unlabelled records carry knowledge only through the teacher: a loss without a teacher term (BCE, the
        // baseline, the teacher's own training) trains on the labelled records alone.
        int[] order = usedRecords(labelled, labelledCount, loss.needsTeacher());
        if (order.length < 2) {
            throw new IllegalArgumentException(stage + ": the training split has " + order.length + " usable "
                    + "records (" + labelledCount + " of " + n + " labelled); at least 2 are needed");
        }
        loss.prepare(new LossContext(n, train.labelMatrix(), firstLabels,
                labelledCount == n ? null : labelled, opts.seed()));
        if (teacher != null && opts.engine().teacherCache()) {
            teacherOutputs = TeacherOutputs.forRecords(n, train.labels().size(), teacher.featureDim());
        }
        int dim = loss.embeddingDim();
        if (dim > 0) {
            ProjectionHead[] heads = projectionHeads(net.featureDim(), teacher.featureDim(), dim, opts.learningRate(),
                    opts.weightDecay(), opts.decayScope() == DecayScope.ALL_PARAMETERS, opts.seed());
            studentHead = heads[0];
            teacherHead = heads[1];
        }
        Path checkpoint = opts.checkpointDir() == null ? null
                : opts.checkpointDir().resolve(stage + "-" + fingerprintHash() + ".ckpt");
        if (checkpoint != null && opts.resume() && Files.exists(checkpoint)) {
            restore(checkpoint);
        }
        int used = order.length;
        // BN cannot normalise a batch of one, so a trailing batch of one record is left out of that epoch.
        int steps = used / opts.batchSize() + (used % opts.batchSize() >= 2 ? 1 : 0);
        for (int epoch = epochsDone + 1; epoch <= opts.epochs() && !stoppedEarly(); epoch++) {
            long start = System.nanoTime();
            // A generator per epoch, so a resumed run shuffles as the uninterrupted one would have.
            shuffle(order, new Random(opts.seed() * 1_000_003L + epoch));
            if (studentHead != null) {
                // The network's Adam follows the schedule through its epoch count; the heads are told here.
                double lr = opts.learningRate() * opts.schedule().factor(epoch - 1);
                studentHead.setLearningRate(lr);
                teacherHead.setLearningRate(lr);
            }
            double lossSum = 0;
            Map<String, Double> partSums = new LinkedHashMap<>();
            for (int s = 0; s < steps; s++) {
                int from = s * opts.batchSize();
                int to = Math.min(used, from + opts.batchSize());
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                LossValue v = step(idx);
                if (!Double.isFinite(v.value())) {
                    throw new IllegalStateException(stage + ": loss is " + v.value() + " at epoch " + epoch
                            + ", step " + (s + 1) + " (terms " + v.parts() + "); lower the learning rate or check "
                            + "the data for extreme values");
                }
                lossSum += v.value();
                v.parts().forEach((k, x) -> partSums.merge(k, x, Double::sum));
                opts.listener().onStep(stage, epoch, s + 1, steps, v.value());
            }
            net.incrementEpoch();
            double auc = evaluate(net, valInput, val, null).macroAuc();
            boolean best = bestParams == null || auc > bestAuc;
            if (best) {
                bestAuc = auc;
                bestParams = net.graph().params().dup();
                bestEpoch = epoch;
            }
            epochsDone = epoch;
            if (checkpoint != null) {
                save(checkpoint);
            }
            Map<String, Double> parts = new LinkedHashMap<>();
            final int st = steps;
            partSums.forEach((k, x) -> parts.put(k, x / st));
            opts.listener().onEpoch(new EpochReport(stage, epoch, opts.epochs(), lossSum / steps, parts, auc,
                    (System.nanoTime() - start) / 1_000_000, best));
        }
        net.graph().setParams(bestParams);
        // Calibrated on validation for the parameters that are kept; the thresholds are then chosen (or fixed at
        // 0.5) on the calibrated probabilities, which are what diagnose returns.
        int classes = val.labels().size();
        double[][] z = Predictor.logits(net, valInput, val.size());
        double[][] y = valInput.labels(Batches.range(0, val.size()));
        double[] temperatures = opts.calibration().fit(z, y, classes);
        double[] identity = Calibration.identity(classes);
        double[][] calibrated = Calibration.probabilities(z, temperatures);
        float[][] labels = val.labelMatrix();
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("valNll.before", Calibration.nll(z, y, identity));
        stats.put("valNll.after", Calibration.nll(z, y, temperatures));
        stats.put("valEce.before", CalibrationError.ece(Calibration.probabilities(z, identity), labels));
        stats.put("valEce.after", CalibrationError.ece(calibrated, labels));
        return new Result(bestEpoch, bestAuc, new MultiLabelEvaluation(val.labels(), calibrated, y,
                opts.thresholds().fixed(classes)), temperatures, stats);
    }

    /** The records an epoch visits: all, or the labelled ones when the loss learns nothing from the others. */
    static int[] usedRecords(boolean[] labelled, int labelledCount, boolean lossUsesUnlabelled) {
        if (lossUsesUnlabelled || labelledCount == labelled.length) {
            return Batches.range(0, labelled.length);
        }
        int[] r = new int[labelledCount];
        int p = 0;
        for (int i = 0; i < labelled.length; i++) {
            if (labelled[i]) {
                r[p++] = i;
            }
        }
        return r;
    }

    private boolean stoppedEarly() {
        return opts.patience() > 0 && epochsDone - bestEpoch >= opts.patience();
    }

    /** Everything the run's outcome depends on; a checkpoint is reused only by an identical run. */
    private String fingerprint() {
        // Maps are printed sorted: Map.of iterates in a per-JVM order, and the text must be the same in every process.
        return String.join("|", stage, net.architecture(), sorted(net.config()), String.valueOf(net.numParams()),
                String.valueOf(net.inputLeads()), loss.name(), sorted(loss.config()), train.labels().toString(),
                String.valueOf(train.size()), String.valueOf(val.size()), String.valueOf(opts.epochs()),
                String.valueOf(opts.batchSize()), String.valueOf(opts.learningRate()), opts.schedule().name(),
                opts.init(),
                String.valueOf(opts.weightDecay()), opts.decayScope().name(), String.valueOf(opts.seed()),
                teacher == null ? "-" : String.valueOf(teacher.graph().params().sumNumber()));
    }

    /** A map's text with keys sorted at every level. */
    static String sorted(Map<String, ?> m) {
        StringBuilder sb = new StringBuilder("{");
        new java.util.TreeMap<>(m).forEach((k, v) -> {
            sb.append(sb.length() > 1 ? ", " : "").append(k).append('=');
            if (v instanceof Map<?, ?> sub) {
                Map<String, Object> s = new java.util.TreeMap<>();
                sub.forEach((a, b) -> s.put(String.valueOf(a), b));
                sb.append(sorted(s));
            } else {
                sb.append(v);
            }
        });
        return sb.append('}').toString();
    }

    private String fingerprintHash() {
        return com.google.common.hash.Hashing.sha256().hashString(fingerprint(), StandardCharsets.UTF_8).toString()
                .substring(0, 12);
    }

    private void save(Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(CHECKPOINT_MAGIC);
            out.writeUTF(fingerprint());
            out.writeInt(epochsDone);
            out.writeInt(bestEpoch);
            out.writeDouble(bestAuc);
            ByteArrayOutputStream netBytes = new ByteArrayOutputStream();
            net.write(netBytes, true);
            Checkpoints.writeBytes(out, netBytes.toByteArray());
            Checkpoints.writeArray(out, bestParams);
            out.writeBoolean(studentHead != null);
            if (studentHead != null) {
                studentHead.write(out);
                teacherHead.write(out);
            }
            ByteArrayOutputStream lossBytes = new ByteArrayOutputStream();
            loss.writeState(new DataOutputStream(lossBytes));
            Checkpoints.writeBytes(out, lossBytes.toByteArray());
            out.flush();
            AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    private void restore(Path file) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (!CHECKPOINT_MAGIC.equals(in.readUTF())) {
                throw new IllegalStateException(file + ": not an mvkt checkpoint");
            }
            if (!fingerprint().equals(in.readUTF())) {
                throw new IllegalStateException(file + ": checkpoint of a different run (settings, data or network "
                        + "differ); delete it or train without resume");
            }
            epochsDone = in.readInt();
            bestEpoch = in.readInt();
            bestAuc = in.readDouble();
            EcgNetwork saved = EcgNetwork.read(new ByteArrayInputStream(Checkpoints.readBytes(in)),
                    net.architecture(), net.config(), net.featureDim(), true);
            net.graph().setParams(saved.graph().params());
            if (saved.graph().getUpdater(false) != null && saved.graph().getUpdater().getStateViewArray() != null) {
                net.graph().getUpdater().getStateViewArray().assign(saved.graph().getUpdater().getStateViewArray());
            }
            net.graph().getConfiguration().setIterationCount(saved.graph().getIterationCount());
            net.graph().getConfiguration().setEpochCount(saved.graph().getEpochCount());
            bestParams = Checkpoints.readArray(in);
            if (in.readBoolean() != (studentHead != null)) {
                throw new IllegalStateException(file + ": projection heads do not match the loss");
            }
            if (studentHead != null) {
                studentHead.read(in);
                teacherHead.read(in);
            }
            loss.readState(new DataInputStream(new ByteArrayInputStream(Checkpoints.readBytes(in))));
        } catch (java.io.EOFException e) {
            throw new IllegalStateException(file + ": truncated checkpoint", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
    }

    /** CLT's projection heads, student's then teacher's, as every training run makes them. */
    static ProjectionHead[] projectionHeads(int studentFeatures, int teacherFeatures, int dim, double learningRate,
                                            double weightDecay, boolean decayBias, long seed) {
        return new ProjectionHead[]{
                new ProjectionHead(studentFeatures, dim, learningRate, weightDecay, decayBias, seed * 31 + 1),
                new ProjectionHead(teacherFeatures, dim, learningRate, weightDecay, decayBias, seed * 31 + 2)};
    }

    private LossValue step(int[] idx) {
        EcgNetwork.Outputs t = null;
        if (teacher != null) {
            t = teacherOutputs == null ? teacher.output(teacherInput.input(idx))
                    : teacherOutputs.get(idx, rows -> teacher.output(teacherInput.input(rows)));
        }
        return step(net, loss, studentHead, teacherHead, input.input(idx), input.labels(idx), input.labelled(idx),
                idx, t);
    }

    /**
     * One optimisation step of {@code net} (and of the projection heads, when the loss has an embedding) on the
     * records {@code idx}: the loss on the student's outputs, the teacher's ({@code teacherOut}, null without a
     * teacher) and the labels {@code y}, then backprop and Adam. {@link BenchmarkStep} times this very code.
     */
    static LossValue step(EcgNetwork net, LossTerm loss, ProjectionHead studentHead, ProjectionHead teacherHead,
                          INDArray x, double[][] y, boolean[] labelled, int[] idx,
                          EcgNetwork.Outputs teacherOut) {
        double[][] tLogits = null;
        double[][] tRaw = null;
        INDArray tFeatures = null;
        if (teacherOut != null) {
            tLogits = toDouble(teacherOut.logits());
            tFeatures = teacherOut.features();
            tRaw = teacherHead == null ? null : teacherHead.forward(tFeatures);
        }
        final double[][] teacherLogits = tLogits;
        final double[][] teacherRaw = tRaw;
        final INDArray teacherFeatures = tFeatures;
        LossInputs[] seen = new LossInputs[1];
        LossValue[] value = new LossValue[1];
        net.trainStep(x, o -> {
            double[][] sRaw = studentHead == null ? null : studentHead.forward(o.features());
            LossInputs in = new LossInputs(toDouble(o.logits()), y, teacherLogits, sRaw, teacherRaw, idx,
                    labelled);
            LossValue v = loss.compute(in);
            seen[0] = in;
            value[0] = v;
            INDArray dFeatures = null;
            if (v.dStudentEmbedding() != null) {
                dFeatures = studentHead.backwardAndStep(o.features(), v.dStudentEmbedding());
            }
            if (v.dTeacherEmbedding() != null) {
                teacherHead.backwardAndStep(teacherFeatures, v.dTeacherEmbedding());
            }
            INDArray dLogits = v.dStudentLogits() == null ? null : Nd4j.create(v.dStudentLogits());
            return new EcgNetwork.Outputs(dLogits, dFeatures);
        });
        loss.afterStep(seen[0]);
        return value[0];
    }

    static MultiLabelEvaluation evaluate(EcgNetwork net, Batches batches, Split split, double[] thresholds) {
        double[][] p = Predictor.probabilities(net, batches, split.size());
        LabelSet labels = split.labels();
        double[][] y = batches.labels(Batches.range(0, split.size()));
        return new MultiLabelEvaluation(labels, p, y, thresholds);
    }

    private static double[][] toDouble(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** Fisher–Yates with {@code rng}: the order every epoch of every trainer visits its records in. */
    static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
