package dev.mvkt.samples;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.Engine;
import dev.mvkt.backbones.NetworkSpec;
import dev.mvkt.losses.Losses;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Times the zoo's backbones on this machine, one line per backbone, medians over repeated runs after warm-up:
 * <ul>
 * <li>{@code train_ms}: a 12-lead training step (batch 32 × 12 × 1000, external BCE-like errors);</li>
 * <li>{@code teacher_fwd_ms}: the frozen 12-lead teacher's inference forward on that batch;</li>
 * <li>{@code student_step_ms}: a 1-lead student step of the same architecture (batch 32 × 1 × 1000) with MVKT's
 * loss as mvkt-core's trainer computes it (BCE + MKD + 0.8·CLT, 1024 negatives, 128-d projection heads on both
 * sides, memory-bank update), the teacher's outputs given;</li>
 * <li>{@code mvkt_step_ms}: teacher forward + student step measured together, one stage-2 step;</li>
 * <li>{@code infer_one_ms}: the 1-lead student on one 10 s ECG (1 × 1 × 1000).</li>
 * </ul>
 * Options: {@code --backbone all|NAME} (default all; names as {@link Backbones#names()}), {@code --reps N} (default
 * 3), {@code --warmup N} (default 1), {@code --width N} (ResNet1d_wang only, default 128).
 */
public final class Bench {
    private static final int BATCH = 32;
    private static final int LENGTH = 1000;
    private static final int CLASSES = 5;
    /** Size of a PTB-XL training split, for CLT's memory banks. */
    private static final int TRAIN_SIZE = 17_000;

    private Bench() {
    }

    public static void main(String[] args) {
        Engine.configure();
        Map<String, String> o = Demo.parse(args);
        String which = o.getOrDefault("backbone", "all");
        int reps = Integer.parseInt(o.getOrDefault("reps", "3"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "1"));
        int width = Integer.parseInt(o.getOrDefault("width", "128"));
        List<String> names = which.equals("all") ? Backbones.names() : List.of(which.split(","));
        System.out.printf(Locale.ROOT, "engine: %s, %d cores, oneDNN %s; batch %d x 12 x %d, %d classes, "
                        + "medians of %d after %d warm-up%n",
                Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"),
                Runtime.getRuntime().availableProcessors(),
                org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()
                        .contains("HAVE_ONEDNN") ? "loaded" : "not loaded",
                BATCH, LENGTH, CLASSES, reps, warmup);
        for (String name : names) {
            Backbone b = name.equals("resnet1d_wang")
                    ? Backbones.resnet1dWangBuilder().optWidth(width).build() : Backbones.named(name);
            System.out.println(bench(b, reps, warmup));
            System.out.flush();
        }
    }

    static String bench(Backbone b, int reps, int warmup) {
        EcgNetwork teacher = b.build(NetworkSpec.of(12, CLASSES, 0));
        EcgNetwork student = b.build(NetworkSpec.of(1, CLASSES, 1));
        int[] helpers = Engine.convolutionHelpers(teacher.graph());
        INDArray x12 = Nd4j.rand(DataType.FLOAT, BATCH, 12, LENGTH, 1);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, BATCH, 1, LENGTH, 1);
        INDArray one = Nd4j.rand(DataType.FLOAT, 1, 1, LENGTH, 1);

        double train = median(reps, warmup, () -> teacher.trainStep(x12,
                out -> new EcgNetwork.Outputs(out.logits().mul(0.01), null)));
        double teacherFwd = median(reps, warmup, () -> teacher.output(x12));

        Distill d = new Distill(student, teacher.featureDim());
        EcgNetwork.Outputs t = teacher.output(x12);
        double studentStep = median(reps, warmup, () -> d.step(x1, t));
        double mvkt = median(reps, warmup, () -> d.step(x1, teacher.output(x12)));
        double inferOne = median(reps * 4, warmup + 2, () -> student.logits(one));
        return String.format(Locale.ROOT, "%-14s params %,11d  features %4d  train_ms %8.0f  teacher_fwd_ms %7.0f  "
                        + "student_step_ms %7.0f  mvkt_step_ms %8.0f  infer_one_ms %7.1f  onednn_convs %d/%d",
                b.name(), teacher.numParams(), teacher.featureDim(), train, teacherFwd, studentStep, mvkt,
                inferOne, helpers[0], helpers[1]);
    }

    /** One stage-2 step as mvkt-core's trainer does it, with plain SGD on the projection heads. */
    private static final class Distill {
        private final EcgNetwork student;
        private final LossTerm loss = Losses.bce().plus(Losses.mkd().weight(1.0)).plus(Losses.clt().weight(0.8));
        private final INDArray headS;
        private final INDArray headT;
        private final double[][] labels;
        private final Random rng = new Random(0);

        Distill(EcgNetwork student, int teacherFeatures) {
            this.student = student;
            int dim = loss.embeddingDim();
            this.headS = Nd4j.rand(DataType.FLOAT, student.featureDim(), dim).subi(0.5).divi(32);
            this.headT = Nd4j.rand(DataType.FLOAT, teacherFeatures, dim).subi(0.5).divi(32);
            float[][] trainLabels = new float[TRAIN_SIZE][CLASSES];
            for (float[] row : trainLabels) {
                row[rng.nextInt(CLASSES)] = 1;
            }
            loss.prepare(new LossContext(TRAIN_SIZE, trainLabels, 0));
            labels = new double[BATCH][];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = new double[CLASSES];
                for (int c = 0; c < CLASSES; c++) {
                    labels[i][c] = trainLabels[i][c];
                }
            }
        }

        void step(INDArray x, EcgNetwork.Outputs teacherOut) {
            int[] idx = rng.ints(BATCH, 0, TRAIN_SIZE).toArray();
            double[][] tLogits = toDouble(teacherOut.logits());
            double[][] tEmb = toDouble(teacherOut.features().mmul(headT));
            LossInputs[] seen = new LossInputs[1];
            student.trainStep(x, out -> {
                double[][] sEmb = toDouble(out.features().mmul(headS));
                LossInputs in = new LossInputs(toDouble(out.logits()), labels, tLogits, sEmb, tEmb, idx);
                LossValue v = loss.compute(in);
                seen[0] = in;
                INDArray dS = Nd4j.create(v.dStudentEmbedding()).castTo(DataType.FLOAT);
                INDArray dT = Nd4j.create(v.dTeacherEmbedding()).castTo(DataType.FLOAT);
                INDArray dFeatures = dS.mmul(headS.transpose());
                headS.subi(out.features().transpose().mmul(dS).muli(1e-3));
                headT.subi(teacherOut.features().transpose().mmul(dT).muli(1e-3));
                return new EcgNetwork.Outputs(Nd4j.create(v.dStudentLogits()), dFeatures);
            });
            loss.afterStep(seen[0]);
        }

        private static double[][] toDouble(INDArray a) {
            return a.castTo(DataType.DOUBLE).toDoubleMatrix();
        }
    }

    private static double median(int reps, int warmup, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
