package dev.mvkt.samples;

import dev.mvkt.api.LossContext;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.EngineOptions;
import dev.mvkt.backbones.engine.Engine;
import dev.mvkt.backbones.NetworkSpec;
import dev.mvkt.core.BenchmarkStep;
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
 * <li>{@code train_ms}: a 12-lead training step (batch 32 × 12 × 1000, BCE, Adam), run by mvkt-core's trainer
 * code ({@link BenchmarkStep}), as every step below;</li>
 * <li>{@code infer32_ms}: 12-lead inference on that batch, as trained models run it
 * ({@link EcgNetwork#forInference()}, on mvkt's direct plan where it applies);</li>
 * <li>{@code infer1_ms}: the 1-lead student on one 10 s ECG (1 × 1 × 1000), as {@code Student.diagnose} runs it
 * (median of 200 calls after 100 warm-up calls);</li>
 * <li>{@code student_ms}: a plain 1-lead student step (batch 32, BCE only);</li>
 * <li>{@code mvkt_ms}: one MVKT stage-2 step as mvkt-core's trainer does it: the frozen teacher's forward pass on
 * the 12-lead batch, then the 1-lead student step with BCE + MKD + 0.8·CLT (1024 negatives, 128-d projection heads on
 * both sides trained with Adam, memory-bank update); {@code mvkt/st} is its ratio to the plain step; {@code mvkt_kept} is the same
 * step with the teacher's outputs already at hand, as mvkt-core's trainer runs it from the second epoch on (it keeps
 * them per record), and {@code kept/st} its ratio; the three student steps are timed in turns, so that the ratios
 * compare steps run in the same spells of the machine;</li>
 * <li>{@code GFLOP/s} achieved in training and in batch inference (convolutions and dense layers counted, 3x the
 * forward pass for a training step), and the engine path: convolutions on oneDNN and batch norms on mvkt's fused
 * backward pass, out of all.</li>
 * </ul>
 * Options: {@code --backbone all|NAME[,NAME]} (default all; names as {@link Backbones#names()}), {@code --reps N}
 * (default 5), {@code --warmup N} (default 2), {@code --width N} (ResNet1d_wang only, default 128),
 * {@code --fast-layers false} (DL4J's own pooling and ReLU layers, {@link EngineOptions#fastLayers()}, for a
 * before/after on the same build).
 *
 * <p>{@code --profile true} instead breaks one backbone's training step down (default ResNet1d_wang): per phase
 * (forward, backward, optimiser update, the rest), garbage-collection time and page faults per step, then ND4J's op
 * profiler per op (ops under its 0.1 ms threshold are not recorded). docs/performance.md shows its output.
 */
public final class Bench {
    private static final int BATCH = 32;
    private static final int LENGTH = 1000;
    private static final int CLASSES = 5;
    /** Size of a PTB-XL training split, for CLT's memory banks. */
    private static final int TRAIN_SIZE = 17_000;
    /** The engine options of every network here; {@code --fast-layers false} switches mvkt's layers off. */
    private static EngineOptions engine = EngineOptions.defaults();

    private Bench() {
    }

    public static void main(String[] args) {
        Engine.configure();
        Map<String, String> o = Demo.parse(args);
        String which = o.getOrDefault("backbone", "all");
        int reps = Integer.parseInt(o.getOrDefault("reps", "5"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "2"));
        int width = Integer.parseInt(o.getOrDefault("width", "128"));
        engine = EngineOptions.builder().optFastLayers(Boolean.parseBoolean(o.getOrDefault("fast-layers", "true")))
                .build();
        List<String> names = which.equals("all") ? Backbones.names() : List.of(which.split(","));
        if (Boolean.parseBoolean(o.getOrDefault("profile", "false"))) {
            String name = which.equals("all") ? "resnet1d_wang" : names.get(0);
            profile(name.equals("resnet1d_wang") ? Backbones.resnet1dWangBuilder().optWidth(width).build()
                    : Backbones.named(name), Math.max(reps, 10), warmup);
            return;
        }
        System.out.printf(Locale.ROOT, "mvkt bench %s: engine %s, %d cores, oneDNN %s; batch %d x 12 x %d, %d classes, "
                        + "medians of %d after %d warm-up%n", java.time.LocalDate.now(),
                Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"),
                Runtime.getRuntime().availableProcessors(),
                org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()
                        .contains("HAVE_ONEDNN") ? "loaded" : "not loaded",
                BATCH, LENGTH, CLASSES, reps, warmup);
        System.out.printf(Locale.ROOT, "%-14s %11s %8s %8s %10s %9s %10s %8s %10s %8s %12s %14s %12s %12s %12s %12s%n",
                "backbone", "params", "train_ms", "infer32", "infer1_ms", "student", "mvkt_ms", "mvkt/st", "mvkt_kept",
                "kept/st", "train_GF/s", "infer_GF/s", "onednn_conv", "fast_bn", "fast_pool", "lean_relu");
        for (String name : names) {
            Backbone b = name.equals("resnet1d_wang")
                    ? Backbones.resnet1dWangBuilder().optWidth(width).build() : Backbones.named(name);
            System.out.println(bench(b, reps, warmup));
            System.out.flush();
        }
    }

    static String bench(Backbone b, int reps, int warmup) {
        EcgNetwork teacher = b.build(NetworkSpec.of(12, CLASSES, 0).withEngine(engine));
        EcgNetwork student = b.build(NetworkSpec.of(1, CLASSES, 1).withEngine(engine));
        int[] convs = Engine.convolutionHelpers(teacher.graph());
        int[] bns = Engine.batchNormHelpers(teacher.graph());
        int[] pools = Engine.poolingLayers(teacher.graph());
        int[] relus = Engine.reluLayers(teacher.graph());
        INDArray x12 = Nd4j.rand(DataType.FLOAT, BATCH, 12, LENGTH, 1);
        INDArray x1 = Nd4j.rand(DataType.FLOAT, BATCH, 1, LENGTH, 1);
        INDArray one = Nd4j.rand(DataType.FLOAT, 1, 1, LENGTH, 1);
        double flops = forwardFlops(teacher, 12);

        Labels labels = new Labels();
        BenchmarkStep teacherStep = BenchmarkStep.of(teacher, 0, Losses.bce(), labels.context(), 1e-3, 0);
        double train = median(reps, warmup, () -> teacherStep.run(x12, labels.batch, labels.idx(), null));
        EcgNetwork frozen = teacher.forInference();
        double infer32 = median(reps, warmup, () -> frozen.output(x12));
        EcgNetwork studentFrozen = student.forInference();
        // A single ECG is a few milliseconds of many small Java calls: give the JIT 100 calls before timing 200.
        double infer1 = median(200, 100, () -> studentFrozen.logits(one));

        BenchmarkStep plainStep = BenchmarkStep.of(student, 0, Losses.bce(), labels.context(), 1e-3, 1);
        BenchmarkStep mvktStep = BenchmarkStep.of(student, teacher.featureDim(),
                Losses.bce().plus(Losses.mkd().weight(1.0)).plus(Losses.clt().weight(0.8)), labels.context(), 1e-3, 1);
        // From its second epoch on, mvkt-core's trainer reuses the teacher's outputs per record (TeacherOutputs).
        EcgNetwork.Outputs kept = frozen.output(x12);
        // The three student steps take turns, so that a slow spell of the machine hits each of them alike and their
        // ratios measure the steps, not the moment.
        double[] steps = interleavedMedians(reps, warmup,
                () -> plainStep.run(x1, labels.batch, labels.idx(), null),
                () -> mvktStep.run(x1, labels.batch, labels.idx(), frozen.output(x12)),
                () -> mvktStep.run(x1, labels.batch, labels.idx(), kept));
        double plain = steps[0];
        double mvkt = steps[1];
        double mvktKept = steps[2];
        return String.format(Locale.ROOT, "%-14s %,11d %8.0f %8.0f %10.1f %9.0f %10.0f %8.2f %10.0f %8.2f %12.0f "
                        + "%14.0f %12s %12s %12s %12s",
                b.name(), teacher.numParams(), train, infer32, infer1, plain, mvkt, mvkt / plain, mvktKept,
                mvktKept / plain,
                3 * flops * BATCH / train / 1e6, flops * BATCH / infer32 / 1e6, convs[0] + "/" + convs[1],
                bns[0] + "/" + bns[1], pools[0] + "/" + pools[1], relus[0] + "/" + relus[1]);
    }

    /** Phases, GC, page faults and the op profile of a 12-lead training step. */
    static void profile(Backbone b, int reps, int warmup) {
        EcgNetwork net = b.build(NetworkSpec.of(12, CLASSES, 0).withEngine(engine));
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 12, LENGTH, 1);
        Labels labels = new Labels();
        BenchmarkStep bce = BenchmarkStep.of(net, 0, Losses.bce(), labels.context(), 1e-3, 0);
        Runnable step = () -> bce.run(x, labels.batch, labels.idx(), null);
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        EcgNetwork.PhaseTimes p0 = net.phaseTimes();
        long gc0 = gcMillis();
        long faults0 = pageFaults();
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            step.run();
        }
        double total = (System.nanoTime() - start) / 1e6 / reps;
        EcgNetwork.PhaseTimes p1 = net.phaseTimes();
        double fwd = (p1.forwardMs() - p0.forwardMs()) / reps;
        double bwd = (p1.backwardMs() - p0.backwardMs()) / reps;
        double upd = (p1.updateMs() - p0.updateMs()) / reps;
        System.out.printf(Locale.ROOT, "%s training step, batch %d x 12 x %d, mean of %d after %d warm-up:%n",
                b.name(), BATCH, LENGTH, reps, warmup);
        System.out.printf(Locale.ROOT, "  step %.0f ms = forward %.0f + backward %.0f + update %.0f + rest %.0f "
                        + "(loss, copies); GC %.1f ms/step; %d page faults/step%n", total, fwd, bwd, upd,
                total - fwd - bwd - upd, (double) (gcMillis() - gc0) / reps, (pageFaults() - faults0) / reps);

        printOps("ND4J ops per step (profiled step %.0f ms; %.0f ms in the ops below, the rest in Java, mvkt's "
                + "batch-norm backward and ops under 0.1 ms):", reps, step);

        // One ECG through the 1-lead student's inference snapshot (the direct plan where it applies), one OpenMP
        // thread, as Bench's infer1 column and diagnose() run it.
        EcgNetwork student = b.build(NetworkSpec.of(1, CLASSES, 1).withEngine(engine)).forInference();
        INDArray one = Nd4j.rand(DataType.FLOAT, 1, 1, LENGTH, 1);
        int calls = 200;
        double infer1 = median(calls, 100, () -> student.logits(one));
        System.out.printf(Locale.ROOT, "%s one ECG (1 x 1 x %d, %s): median %.2f ms of %d calls after 100%n",
                b.name(), LENGTH, student.isDirectInference() ? "direct inference plan" : "DL4J graph", infer1, calls);
        printOps("ND4J ops per call (profiled call %.2f ms; %.2f ms in the ops below, the rest in Java and ops under "
                + "0.1 ms in total):", calls, () -> student.logits(one));
    }

    /**
     * Runs {@code work} {@code reps} times under ND4J's op profiler and prints, per op, calls and milliseconds per
     * run; {@code header} takes the profiled run's time and the time inside the listed ops.
     */
    private static void printOps(String header, int reps, Runnable work) {
        var ex = Nd4j.getExecutioner();
        ex.setProfilingConfig(org.nd4j.linalg.profiler.ProfilerConfig.builder().checkElapsedTime(true).build());
        ex.setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.OPERATIONS);
        var profiler = org.nd4j.linalg.profiler.OpProfiler.getInstance();
        profiler.reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            work.run();
        }
        double profiled = (System.nanoTime() - t0) / 1e6 / reps;
        ex.setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.DISABLED);
        // The op profiler keeps, per op, its call count (asString) and its total time (asPercentageString).
        var agg = profiler.getLongAggergator();
        var counts = java.util.regex.Pattern.compile("^\\w+ (\\S+) \\(.*?>>>\\s+(\\d+) calls",
                java.util.regex.Pattern.MULTILINE).matcher(agg.asString());
        var times = java.util.regex.Pattern.compile("^\\w+ (\\S+) \\(.*?Time spent: (\\d+) ms",
                java.util.regex.Pattern.MULTILINE).matcher(agg.asPercentageString());
        java.util.Map<String, double[]> ops = new java.util.TreeMap<>();
        while (counts.find()) {
            ops.merge(counts.group(1), new double[]{Double.parseDouble(counts.group(2)) / reps, 0},
                    (a, c) -> new double[]{a[0] + c[0], a[1]});
        }
        while (times.find()) {
            ops.merge(times.group(1), new double[]{0, Double.parseDouble(times.group(2)) / reps},
                    (a, c) -> new double[]{a[0], a[1] + c[1]});
        }
        double inOps = ops.values().stream().mapToDouble(v -> v[1]).sum();
        System.out.printf(Locale.ROOT, "  " + header + "%n", profiled, inOps);
        // The profiler keeps the names of ops it saw before its reset, with no calls: those are not listed.
        ops.entrySet().stream().filter(e -> e.getValue()[0] > 0).sorted((a, c) -> Double.compare(c.getValue()[1], a.getValue()[1]))
                .forEach(e -> System.out.printf(Locale.ROOT, "    %-16s %6.1f calls %8.2f ms%n", e.getKey(),
                        e.getValue()[0], e.getValue()[1]));
    }

    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** Minor page faults of this process so far (Linux), or 0 where /proc is absent. */
    private static long pageFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Multiply-adds ×2 of one forward pass on one 12 × 1000 ECG: convolutions (from their output lengths) and dense
     * layers; batch norms, activations and pooling are not counted.
     */
    static double forwardFlops(EcgNetwork net, int leads) {
        Map<String, INDArray> acts = net.activations(Nd4j.rand(DataType.FLOAT, 1, leads, LENGTH, 1));
        double flops = 0;
        for (var v : net.graph().getConfiguration().getVertices().entrySet()) {
            if (v.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                var layer = lv.getLayerConf().getLayer();
                if (layer instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
                    long outLength = acts.get(v.getKey()).size(2);
                    flops += 2.0 * c.getNIn() * c.getNOut() * c.getKernelSize()[0] * c.getKernelSize()[1] * outLength;
                } else if (layer instanceof org.deeplearning4j.nn.conf.layers.DenseLayer dl) {
                    flops += 2.0 * dl.getNIn() * dl.getNOut();
                }
            }
        }
        return flops;
    }

    /** Random one-hot labels of a PTB-XL-sized training set, and batches of record indices into it. */
    private static final class Labels {
        private final float[][] train = new float[TRAIN_SIZE][CLASSES];
        private final double[][] batch = new double[BATCH][CLASSES];
        private final Random rng = new Random(0);

        Labels() {
            for (float[] row : train) {
                row[rng.nextInt(CLASSES)] = 1;
            }
            for (int i = 0; i < BATCH; i++) {
                for (int c = 0; c < CLASSES; c++) {
                    batch[i][c] = train[i][c];
                }
            }
        }

        LossContext context() {
            return new LossContext(TRAIN_SIZE, train, 0);
        }

        /** Random records, as a shuffled epoch visits them (the memory banks are read and written there). */
        int[] idx() {
            return rng.ints(BATCH, 0, TRAIN_SIZE).toArray();
        }
    }

    /** Medians of {@code reps} runs of each task, run in turns (a, b, c, a, b, c, ...) after {@code warmup} turns. */
    private static double[] interleavedMedians(int reps, int warmup, Runnable... tasks) {
        double[][] t = new double[tasks.length][reps];
        for (int i = 0; i < warmup + reps; i++) {
            for (int k = 0; k < tasks.length; k++) {
                long s = System.nanoTime();
                tasks[k].run();
                if (i >= warmup) {
                    t[k][i - warmup] = (System.nanoTime() - s) / 1e6;
                }
            }
        }
        double[] medians = new double[tasks.length];
        for (int k = 0; k < tasks.length; k++) {
            Arrays.sort(t[k]);
            medians[k] = t[k][reps / 2];
        }
        return medians;
    }

    private static double median(int reps, int warmup, Runnable r) {
        return interleavedMedians(reps, warmup, r)[0];
    }
}
