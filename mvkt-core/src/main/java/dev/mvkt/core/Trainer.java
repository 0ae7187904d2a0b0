package dev.mvkt.core;

import dev.mvkt.api.EpochReport;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The one training loop of both stages. Stage 1 is this loop with loss BCE and no teacher; stage 2 adds the frozen
 * teacher (inference mode: running BN statistics, no dropout, no gradient) and, when the loss asks for embeddings,
 * the two projection heads.
 *
 * <p>The epoch kept is the one with the best validation macro AUC; the test split is never looked at here.
 */
final class Trainer {

    /** What a finished run produced. */
    record Result(int bestEpoch, double bestValAuc, MultiLabelEvaluation validation) {
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
        int n = train.size();
        if (n < 2) {
            throw new IllegalArgumentException("the training split has " + n + " records; at least 2 are needed");
        }
        loss.prepare(new LossContext(n, train.labelMatrix(), opts.seed()));
        int dim = loss.embeddingDim();
        ProjectionHead studentHead = null;
        ProjectionHead teacherHead = null;
        if (dim > 0) {
            studentHead = new ProjectionHead(net.featureDim(), dim, opts.learningRate(), opts.weightDecay(),
                    opts.seed() * 31 + 1);
            teacherHead = new ProjectionHead(teacher.featureDim(), dim, opts.learningRate(), opts.weightDecay(),
                    opts.seed() * 31 + 2);
        }
        Random rng = new Random(opts.seed());
        int[] order = Batches.range(0, n);
        // BN cannot normalise a batch of one, so a trailing batch of one record is folded into the shuffle.
        int steps = n / opts.batchSize() + (n % opts.batchSize() >= 2 ? 1 : 0);
        double bestAuc = Double.NEGATIVE_INFINITY;
        INDArray bestParams = null;
        int bestEpoch = 0;
        MultiLabelEvaluation bestVal = null;
        for (int epoch = 1; epoch <= opts.epochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, rng);
            double lossSum = 0;
            Map<String, Double> partSums = new LinkedHashMap<>();
            for (int s = 0; s < steps; s++) {
                int from = s * opts.batchSize();
                int to = Math.min(n, from + opts.batchSize());
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                LossValue v = step(idx, studentHead, teacherHead);
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
            MultiLabelEvaluation ev = evaluate(net, valInput, val, null);
            double auc = ev.macroAuc();
            boolean best = auc > bestAuc || bestParams == null;
            if (best) {
                bestAuc = auc;
                bestParams = net.graph().params().dup();
                bestEpoch = epoch;
                bestVal = ev;
            }
            Map<String, Double> parts = new LinkedHashMap<>();
            final int st = steps;
            partSums.forEach((k, x) -> parts.put(k, x / st));
            opts.listener().onEpoch(new EpochReport(stage, epoch, opts.epochs(), lossSum / steps, parts, auc,
                    (System.nanoTime() - start) / 1_000_000, best));
        }
        net.graph().setParams(bestParams);
        return new Result(bestEpoch, bestAuc, bestVal);
    }

    private LossValue step(int[] idx, ProjectionHead studentHead, ProjectionHead teacherHead) {
        double[][] y = input.labels(idx);
        double[][] tLogits = null;
        double[][] tRaw = null;
        INDArray tFeatures = null;
        if (teacher != null) {
            EcgNetwork.Outputs t = teacher.output(teacherInput.input(idx));
            tLogits = toDouble(t.logits());
            tFeatures = t.features();
            tRaw = teacherHead == null ? null : teacherHead.forward(tFeatures);
        }
        final double[][] teacherLogits = tLogits;
        final double[][] teacherRaw = tRaw;
        final INDArray teacherFeatures = tFeatures;
        LossInputs[] seen = new LossInputs[1];
        LossValue[] value = new LossValue[1];
        net.trainStep(input.input(idx), o -> {
            double[][] sRaw = studentHead == null ? null : studentHead.forward(o.features());
            LossInputs in = new LossInputs(toDouble(o.logits()), y, teacherLogits, sRaw, teacherRaw, idx);
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

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
