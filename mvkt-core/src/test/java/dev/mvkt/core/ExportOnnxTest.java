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
import dev.mvkt.backbones.NetworkSpec;
import dev.mvkt.backbones.onnx.UnsupportedVertexException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code exportOnnx}: the ONNX file of a saved and reloaded model gives {@code diagnose}'s probabilities. */
class ExportOnnxTest {
    static {
        // Before the hand-built graphs below touch DL4J, as mvkt's own entry points do (Backbones, EcgNetwork.read).
        dev.mvkt.backbones.engine.Engine.configure();
    }

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final LabelSet LABELS = LabelSet.of("NORM", "AF", "STD");
    static final int LENGTH = 250;
    private static final double HZ = 100;

    @TempDir
    Path dir;

    /** A model of tiny ResNet1d_wang whose batch norms have moved, with a non-trivial standardisation. */
    static TrainedModel model(String kind, List<Lead> leads) {
        EcgNetwork net = Backbones.resnet1dWangBuilder().optWidth(4).build()
                .build(new NetworkSpec(leads.size(), LABELS.size(), 7, new Adam(1e-2), 0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, leads.size(), 100, 1).subi(0.5);
        for (int i = 0; i < 3; i++) {
            net.trainStep(x, o -> new EcgNetwork.Outputs(o.logits().sub(0.2).div(6), null));
        }
        Provenance p = Provenance.builder().put("stage", kind).put("seed", 7).build();
        return new TrainedModel(kind, net, leads, LABELS, new double[]{0.5, 0.25, 0.75},
                new Standardizer(0.03, 0.21), HZ, LENGTH, p);
    }

    @Test
    void aStudentsOnnxFileGivesDiagnosesProbabilities() throws IOException, OrtException {
        for (List<Lead> leads : List.of(List.of(Lead.II), List.of(Lead.I, Lead.II))) {
            Path saved = dir.resolve("student" + leads.size() + ".mvkt");
            ModelFiles.write(model("student", leads), saved);
            Student s = Student.load(saved);
            Path onnx = dir.resolve("student" + leads.size() + ".onnx");
            s.exportOnnx(onnx);
            float[][] signal = signal(leads.size(), LENGTH, 11 + leads.size());
            double[] want = s.diagnose(signal, HZ).probabilities();
            try (OrtSession session = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
                float[] got = probabilities(session, signal)[0];
                for (int c = 0; c < want.length; c++) {
                    assertEquals(want[c], got[c], 1e-4, leads + " class " + LABELS.name(c));
                }
                Map<String, String> meta = session.getMetadata().getCustomMetadata();
                assertEquals("student", meta.get("kind"));
                assertEquals(String.join(",", leads.stream().map(Lead::name).toList()), meta.get("leads"));
                assertEquals("100.0", meta.get("samplingRate"));
                assertEquals("250", meta.get("length"));
                assertEquals("mV", meta.get("input.unit"));
                assertEquals("[\"NORM\",\"AF\",\"STD\"]", meta.get("labels"));
                assertEquals("[0.5,0.25,0.75]", meta.get("thresholds"));
                assertEquals("AF", meta.get("class.1.name"));
                assertEquals("0.25", meta.get("class.1.threshold"));
                assertEquals("[1.0,1.0,1.0]", meta.get("temperatures"), "uncalibrated");
                assertEquals("7", meta.get("provenance.seed"));
                assertEquals("resnet1d_wang", meta.get("architecture"));
            }
        }
    }

    /**
     * A calibrated model's graph divides the logits by the class temperatures before the sigmoid, so the ONNX
     * probabilities are {@code diagnose}'s calibrated ones; the {@code logits} output stays raw.
     */
    @Test
    void aCalibratedStudentsOnnxFileGivesTheCalibratedProbabilities() throws IOException, OrtException {
        double[] temperatures = {2.5, 0.4, 1.7};
        TrainedModel raw = model("student", List.of(Lead.II));
        Path saved = dir.resolve("calibrated.mvkt");
        ModelFiles.write(new TrainedModel(raw.kind(), raw.network(), raw.leads(), raw.labels(), raw.thresholds(),
                raw.standardizer(), raw.samplingRate(), raw.length(), raw.provenance(), temperatures), saved);
        Student s = Student.load(saved);
        Path onnx = dir.resolve("calibrated.onnx");
        s.exportOnnx(onnx);
        float[][] signal = signal(1, LENGTH, 5);
        double[] want = s.diagnose(signal, HZ).probabilities();
        double[] uncalibrated = new Student(raw).diagnose(signal, HZ).probabilities();
        try (OrtSession session = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            float[] got = probabilities(session, signal)[0];
            INDArray x = Nd4j.create(signal).reshape(1, 1, LENGTH, 1);
            float[] data = Nd4j.toFlattened('c', x.castTo(DataType.FLOAT)).toFloatVector();
            float[] logits;
            try (OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), new long[]{1, 1, LENGTH});
                 OrtSession.Result r = session.run(Map.of("ecg", t))) {
                logits = ((float[][]) r.get("logits").orElseThrow().getValue())[0];
            }
            for (int c = 0; c < want.length; c++) {
                assertEquals(want[c], got[c], 1e-4, "class " + LABELS.name(c));
                assertTrue(Math.abs(want[c] - uncalibrated[c]) > 1e-3, "the temperature matters for class " + c);
                double rawP = 1 / (1 + Math.exp(-logits[c]));
                assertEquals(uncalibrated[c], rawP, 1e-4, "the logits output is uncalibrated, class " + c);
            }
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertEquals("[2.5,0.4,1.7]", meta.get("temperatures"));
            assertEquals("0.4", meta.get("class.1.temperature"));
        }
    }

    @Test
    void aTeacherExportsItsTwelveLeadsAndBatchesAreDynamic() throws IOException, OrtException {
        TrainedModel m = model("teacher", Lead.STANDARD_12);
        Teacher t = new Teacher(m);
        Path onnx = dir.resolve("teacher.onnx");
        t.exportOnnx(onnx);
        INDArray mv = Nd4j.rand(DataType.FLOAT, 3, 12, 301, 1).subi(0.5);
        INDArray want = Transforms.sigmoid(t.inferenceNetwork().logits(mv.sub(0.03).divi(0.21))
                .castTo(DataType.DOUBLE), false);
        try (OrtSession session = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            assertEquals("teacher", session.getMetadata().getCustomMetadata().get("kind"));
            float[][] got = probabilities(session, mv);
            for (int i = 0; i < 3; i++) {
                for (int c = 0; c < LABELS.size(); c++) {
                    assertEquals(want.getDouble(i, c), got[i][c], 1e-4);
                }
            }
        }
    }

    @Test
    void anUnexportableModelLeavesTheTargetAsItWas() throws IOException {
        var g = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("ecg")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(1, 64, 1))
                .addLayer("conv", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(1, 3).nIn(1).nOut(2)
                        .build(), "ecg")
                .addLayer("lrn", new org.deeplearning4j.nn.conf.layers.LocalResponseNormalization.Builder()
                        .build(), "conv")
                .addLayer("pooled", new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder().build(),
                        "lrn")
                .addLayer("logits", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(3).build(),
                        "pooled")
                .addLayer("features_out", new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), "pooled")
                .setOutputs("logits", "features_out");
        var cg = new org.deeplearning4j.nn.graph.ComputationGraph(g.build());
        cg.init();
        TrainedModel m = new TrainedModel("student", new EcgNetwork(cg, "custom", Map.of(), 2), List.of(Lead.I),
                LABELS, new double[]{0.5, 0.5, 0.5}, new Standardizer(0, 1), HZ, LENGTH, Provenance.of(Map.of()));
        Path target = dir.resolve("kept.onnx");
        Files.writeString(target, "previous");
        var e = assertThrows(UnsupportedVertexException.class, () -> new Student(m).exportOnnx(target));
        assertEquals("lrn", e.vertex());
        assertTrue(e.getMessage().contains("LocalResponseNormalization"), e.getMessage());
        assertEquals("previous", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertArrayEquals(new Object[]{target}, files.toArray(), "no temporary file left behind");
        }
    }

    private static float[][] signal(int leads, int n, long seed) {
        Random r = new Random(seed);
        float[][] s = new float[leads][n];
        for (float[] lead : s) {
            for (int i = 0; i < n; i++) {
                lead[i] = (float) (0.8 * Math.sin(i * 0.21) + 0.1 * r.nextGaussian());
            }
        }
        return s;
    }

    /** One recording {@code [lead][sample]} as a batch of one. */
    private static float[][] probabilities(OrtSession session, float[][] signal) throws OrtException {
        INDArray x = Nd4j.create(signal).reshape(1, signal.length, signal[0].length, 1);
        return probabilities(session, x);
    }

    private static float[][] probabilities(OrtSession session, INDArray mv) throws OrtException {
        float[] data = Nd4j.toFlattened('c', mv.castTo(DataType.FLOAT)).toFloatVector();
        try (OnnxTensor t = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data),
                new long[]{mv.size(0), mv.size(1), mv.size(2)});
             OrtSession.Result r = session.run(Map.of("ecg", t))) {
            return (float[][]) r.get("probabilities").orElseThrow().getValue();
        }
    }
}
