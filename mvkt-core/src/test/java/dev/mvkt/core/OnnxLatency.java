package dev.mvkt.core;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.engine.Engine;
import dev.mvkt.backbones.NetworkSpec;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: a benchmark main. One 10 s single-lead ECG (1000 samples at 100 Hz, in mV) through a 1-lead student of
 * each backbone at its reference size (5 classes, untrained weights: latency does not depend on their values), two
 * ways: mvkt's {@code Student.diagnose} and ONNX Runtime on the exported file (tensor creation, run and reading the
 * probabilities). The two are called in turns, so that both see the same spells of a shared machine; the figures are
 * medians after warm-up. It also prints the largest difference between the two paths' probabilities over the timed
 * calls, and between their logits relative to the largest logit.
 *
 * <p>Run: {@code mvn -o -q -pl mvkt-core -am test-compile -Ponnx-bench} (options through
 * {@code -Donnx.bench.args="--calls 200 --warmup 100 --ort-threads 1 --backbone all"}).
 */
public final class OnnxLatency {
    private OnnxLatency() {
    }

    public static void main(String[] args) throws Exception {
        Engine.configure();
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int calls = Integer.parseInt(o.getOrDefault("calls", "200"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "100"));
        int ortThreads = Integer.parseInt(o.getOrDefault("ort-threads", "1"));
        String which = o.getOrDefault("backbone", "all");
        List<String> names = which.equals("all") ? Backbones.names() : List.of(which.split(","));
        System.out.printf(Locale.ROOT, "onnx latency %s: one 1-lead ECG, 1000 samples at 100 Hz, 5 classes; medians "
                        + "of %d calls in turns after %d warm-up; ONNX Runtime %s with %d intra-op thread(s), mvkt "
                        + "diagnose single-threaded (as it runs one ECG); %d cores%n", java.time.LocalDate.now(),
                calls, warmup, OrtEnvironment.getEnvironment().getVersion(), ortThreads,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-14s %12s %12s %9s %14s %16s%n", "backbone", "mvkt_ms", "onnx_ms",
                "mvkt/onnx", "max_abs_diff", "logit_rel_diff");
        Path dir = Files.createTempDirectory("mvkt-onnx-bench");
        for (String name : names) {
            EcgNetwork net = Backbones.named(name).build(NetworkSpec.of(1, 5, 1));
            TrainedModel m = new TrainedModel("student", net, List.of(Lead.I), LabelSet.of("A", "B", "C", "D", "E"),
                    new double[]{0.5, 0.5, 0.5, 0.5, 0.5}, new Standardizer(0.01, 0.2), 100, 1000,
                    Provenance.of(Map.of()));
            Student s = new Student(m);
            Path file = dir.resolve(name + ".onnx");
            s.exportOnnx(file);
            float[] ecg = new float[1000];
            Random r = new Random(1);
            for (int i = 0; i < ecg.length; i++) {
                ecg[i] = (float) (0.9 * Math.sin(i * 0.13) + 0.05 * r.nextGaussian());
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                so.setIntraOpNumThreads(ortThreads);
                so.setInterOpNumThreads(1);
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                try (OrtSession session = env.createSession(file.toString(), so)) {
                    double[] mvkt = new double[calls];
                    double[] ort = new double[calls];
                    double maxDiff = 0;
                    for (int i = 0; i < warmup + calls; i++) {
                        long t0 = System.nanoTime();
                        double[] a = s.diagnose(ecg, 100).probabilities();
                        long t1 = System.nanoTime();
                        float[] b = onnx(env, session, ecg);
                        long t2 = System.nanoTime();
                        if (i >= warmup) {
                            mvkt[i - warmup] = (t1 - t0) / 1e6;
                            ort[i - warmup] = (t2 - t1) / 1e6;
                            for (int c = 0; c < a.length; c++) {
                                maxDiff = Math.max(maxDiff, Math.abs(a[c] - b[c]));
                            }
                        }
                    }
                    double mm = median(mvkt);
                    double om = median(ort);
                    System.out.printf(Locale.ROOT, "%-14s %12.2f %12.2f %9.2f %14.3g %16.3g%n", name, mm, om,
                            mm / om, maxDiff, logitDifference(env, session, s, ecg));
                }
            }
            Files.delete(file);
        }
        Files.delete(dir);
    }

    /**
     * Largest |logit difference| over the largest |logit|: untrained deep networks saturate some probabilities, so
     * their logits say more about the two paths' agreement.
     */
    private static double logitDifference(OrtEnvironment env, OrtSession session, Student s, float[] ecg)
            throws OrtException {
        float[] std = new float[ecg.length];
        for (int i = 0; i < ecg.length; i++) {
            std[i] = s.model.standardizer().apply(ecg[i]);
        }
        float[] want = s.inferenceNetwork().logits(org.nd4j.linalg.factory.Nd4j.create(std, new long[]{1, 1,
                ecg.length, 1}, 'c')).toFloatVector();
        float[] got;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(ecg), new long[]{1, 1, ecg.length});
             OrtSession.Result r = session.run(Map.of("ecg", t))) {
            got = ((float[][]) r.get("logits").orElseThrow().getValue())[0];
        }
        double diff = 0;
        double scale = 0;
        for (int c = 0; c < want.length; c++) {
            diff = Math.max(diff, Math.abs(want[c] - got[c]));
            scale = Math.max(scale, Math.abs(want[c]));
        }
        return diff / Math.max(scale, 1e-30);
    }

    private static float[] onnx(OrtEnvironment env, OrtSession session, float[] ecg) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(ecg), new long[]{1, 1, ecg.length});
             OrtSession.Result r = session.run(Map.of("ecg", t))) {
            return ((float[][]) r.get(0).getValue())[0];
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
