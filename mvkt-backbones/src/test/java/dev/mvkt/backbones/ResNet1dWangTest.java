package dev.mvkt.backbones;

import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResNet1dWangTest {

    private static Backbone tiny() {
        return Backbones.resnet1dWangBuilder().optWidth(8).build();
    }

    @Test
    void parameterCountMatchesReferenceFormula() {
        // Reference resnet1d_wang(input_channels=12, num_classes=5): stem conv 12*128*7, 7 conv+BN pairs in blocks
        // (k5 and k3 per block, 1x1 downsample in blocks 2 and 3), benchmark head (lin_ftrs_head=[128]):
        // BN(256) + Linear(256, 128) + ReLU + BN(128) + Linear(128, 5).
        // BN counts gamma and beta as trainable and running mean/var as state: DL4J stores all four as params.
        long convs = 12L * 128 * 7 + 3 * (128L * 128 * 5 + 128L * 128 * 3) + 2 * (128L * 128);
        long bnLayers = 1 + 3 * 2 + 2;
        long head = 2 * 256 + 256 * 128 + 128 + 2 * 128 + 128 * 5 + 5;
        long trainable = convs + bnLayers * 2 * 128 + head;
        long dl4jExtra = bnLayers * 2 * 128 + 2 * 256 + 2 * 128; // running mean and variance
        EcgNetwork net = Backbones.resnet1dWang().build(NetworkSpec.of(12, 5, 0));
        assertEquals(trainable + dl4jExtra, net.numParams());
        // Without the hidden layer (the earlier head): BN(256) + Linear(256, 5).
        EcgNetwork flat = Backbones.resnet1dWangBuilder().optHeadHidden(0).build().build(NetworkSpec.of(12, 5, 0));
        long flatTrainable = convs + bnLayers * 2 * 128 + 2 * 256 + 256 * 5 + 5;
        assertEquals(flatTrainable + bnLayers * 2 * 128 + 2 * 256, flat.numParams());
        assertEquals(256, net.featureDim());
        assertEquals(12, net.inputLeads());
    }

    @Test
    void forwardShapesForOneAndTwelveLeadsAtTwoLengths() {
        for (int leads : new int[]{1, 12}) {
            EcgNetwork net = tiny().build(NetworkSpec.of(leads, 3, 1));
            for (int length : new int[]{250, 1000}) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 2, leads, length, 1);
                EcgNetwork.Outputs out = net.output(x);
                assertArrayEquals(new long[]{2, 3}, out.logits().shape());
                assertArrayEquals(new long[]{2, 16}, out.features().shape());
                INDArray before = net.graph().params().dup();
                net.trainStep(x, o -> new EcgNetwork.Outputs(Nd4j.onesLike(o.logits()), Nd4j.onesLike(o.features())));
                assertTrue(net.graph().params().neq(before).any(), "a step changes the parameters");
            }
        }
    }

    @Test
    void wrongLeadCountIsRefusedClearly() {
        EcgNetwork net = tiny().build(NetworkSpec.of(12, 3, 1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> net.output(Nd4j.rand(DataType.FLOAT, 1, 1, 100, 1)));
        assertTrue(e.getMessage().contains("expects 12 leads"), e.getMessage());
    }

    /**
     * External errors on both outputs must give the gradient of L = Σ A∘logits + Σ B∘features; in particular the
     * error on the features output must add to, not replace, the error from the head.
     */
    @Test
    void externalErrorGradientMatchesFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            Backbone b = Backbones.resnet1dWangBuilder().optWidth(3).optDropout(0).build();
            EcgNetwork net = b.build(new NetworkSpec(2, 2, 7, new NoOp(), 0));
            net.graph().getConfiguration().setDataType(DataType.DOUBLE);
            EcgNetwork dnet = new EcgNetwork(net.graph().convertDataType(DataType.DOUBLE), net.architecture(),
                    Map.of(), net.featureDim());
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 16, 1).subi(0.5);
            INDArray a = Nd4j.rand(DataType.DOUBLE, 3, 2).subi(0.5);
            INDArray bb = Nd4j.rand(DataType.DOUBLE, 3, 6).subi(0.5);

            final INDArray fa = a;
            final INDArray fb = bb;
            Gradient g = dnet.gradient(x, o -> new EcgNetwork.Outputs(fa.div(3), fb.div(3)));
            // The gradient is a view of the network's gradient array, which the objective's passes overwrite.
            Map<String, INDArray> analytic = new java.util.LinkedHashMap<>();
            g.gradientForVariable().forEach((k, v) -> analytic.put(k, v.dup(v.ordering())));
            double eps = 1e-6;
            int checked = 0;
            for (var e : analytic.entrySet()) {
                String key = e.getKey();
                // A sample of layers along the whole path, from head to stem, through both branches of a block;
                // running statistics are state, not parameters of the loss.
                if (!java.util.Set.of("stem_W", "stem_bn_gamma", "b2_c1_W", "b3_down_W", "b3_c2_bn_beta",
                        "head_bn_gamma", "logits_W", "logits_b").contains(key)) {
                    continue;
                }
                INDArray view = dnet.graph().getParam(key);
                INDArray grad = e.getValue();
                for (long i = 0; i < Math.min(view.length(), 3); i++) {
                    double orig = view.getDouble(i);
                    view.putScalar(i, orig + eps);
                    double up = objective(dnet, x, a, bb);
                    view.putScalar(i, orig - eps);
                    double down = objective(dnet, x, a, bb);
                    view.putScalar(i, orig);
                    double numeric = (up - down) / (2 * eps);
                    double an = grad.getDouble(i);
                    double rel = Math.abs(an - numeric) / Math.max(1e-8, Math.max(Math.abs(an), Math.abs(numeric)));
                    assertTrue(rel < 1e-5 || Math.abs(an - numeric) < 1e-9,
                            key + "[" + i + "]: analytic " + an + " numeric " + numeric);
                    checked++;
                }
            }
            assertEquals(23, checked); // logits_b has only two entries
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private static double objective(EcgNetwork net, INDArray x, INDArray a, INDArray b) {
        // Training-mode outputs (batch statistics) without an update: capture them inside a gradient pass.
        EcgNetwork.Outputs[] seen = new EcgNetwork.Outputs[1];
        net.gradient(x, o -> {
            seen[0] = o;
            return new EcgNetwork.Outputs(null, null);
        });
        EcgNetwork.Outputs o = seen[0];
        return o.logits().mul(a).sumNumber().doubleValue() + o.features().mul(b).sumNumber().doubleValue();
    }

    @Test
    void stepReducesASimpleLoss() {
        EcgNetwork net = tiny().build(new NetworkSpec(1, 1, 3, new Sgd(0.01), 0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 64, 1);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 30; i++) {
            double[] loss = new double[1];
            // L = mean((logit - 2)^2): dL/dlogit = 2 (logit - 2) / N
            net.trainStep(x, o -> {
                loss[0] = o.logits().sub(2).norm2Number().doubleValue();
                return new EcgNetwork.Outputs(o.logits().sub(2).mul(2.0 / 8), null);
            });
            if (i == 0) {
                first = loss[0];
            }
            last = loss[0];
        }
        assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
    }

    @Test
    void saveLoadRoundTripGivesIdenticalOutputs() throws Exception {
        EcgNetwork net = tiny().build(NetworkSpec.of(12, 4, 5));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 12, 100, 1);
        net.trainStep(x, o -> new EcgNetwork.Outputs(Nd4j.onesLike(o.logits()), null));
        var bytes = new ByteArrayOutputStream();
        net.write(bytes, false);
        EcgNetwork back = EcgNetwork.read(new ByteArrayInputStream(bytes.toByteArray()), net.architecture(),
                net.config(), net.featureDim());
        assertEquals(net.logits(x), back.logits(x));
    }

    @Test
    void builderNamesBadValues() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Backbones.resnet1dWangBuilder().optKernels(4, 3).build());
        assertTrue(e.getMessage().contains("4"));
        assertThrows(IllegalArgumentException.class, () -> Backbones.resnet1dWangBuilder().optWidth(0).build());
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of(0, 5, 1));
    }
}
