package dev.mvkt.backbones;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direct channels-last plan computes what DL4J's graph computes, on every backbone and input shape. */
class InferencePlanTest {

    private static EcgNetwork trained(Backbone b, int leads) {
        EcgNetwork net = b.build(new NetworkSpec(leads, 3, 5, new Adam(1e-2), 0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, leads, 64, 1).subi(0.5).muli(4);
        // Moves the running statistics and the batch-norm parameters away from their initial values.
        for (int i = 0; i < 3; i++) {
            net.trainStep(x, o -> new EcgNetwork.Outputs(o.logits().sub(0.3).div(6), null));
        }
        return net;
    }

    @Test
    void everyBackboneIsPlannedAndMatchesDl4jsGraphOnEveryShape() {
        for (Backbone b : TinyZoo.all()) {
            for (int leads : new int[]{1, 2}) {
                EcgNetwork net = trained(b, leads);
                EcgNetwork folded = net.forInference();
                assertTrue(folded.isDirectInference(), b.name() + " should run the direct plan");
                // Batch of one, then a batch and an odd length (Same-mode padding, partial pooling windows), then
                // the first shape again: buffers are re-planned each time the shape changes.
                for (long[] shape : new long[][]{{1, 64}, {3, 77}, {1, 64}, {2, 131}}) {
                    INDArray x = Nd4j.rand(DataType.FLOAT, shape[0], leads, shape[1], 1).subi(0.5).muli(4);
                    INDArray[] graph = folded.graph().output(false,
                            x.reshape('c', shape[0], leads, 1, shape[1]));
                    EcgNetwork.Outputs plan = folded.output(x);
                    EcgNetwork.Outputs source = net.output(x);
                    String what = b.name() + " " + leads + " lead(s) " + java.util.Arrays.toString(shape);
                    assertClose(graph[0], plan.logits(), what + " logits vs folded graph");
                    assertClose(graph[1], plan.features(), what + " features vs folded graph");
                    assertClose(source.logits(), plan.logits(), what + " logits vs trained network");
                    assertClose(source.features(), plan.features(), what + " features vs trained network");
                }
            }
        }
    }

    @Test
    void repeatedCallsGiveEqualResultsThatTheCallerOwns() {
        EcgNetwork folded = trained(TinyZoo.all()[0], 1).forInference();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 64, 1);
        EcgNetwork.Outputs first = folded.output(x);
        INDArray kept = first.logits().dup();
        first.logits().assign(123); // a caller writing into its result must not touch the plan's buffers
        EcgNetwork.Outputs second = folded.output(x);
        assertEquals(kept, second.logits());
        assertFalse(second.logits().equalsWithEps(first.logits(), 1e-3));
    }

    @Test
    void releasedBuffersAreAllocatedAgainOnTheNextCall() {
        EcgNetwork folded = trained(TinyZoo.all()[0], 1).forInference();
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 1, 96, 1);
        INDArray before = folded.logits(x);
        assertTrue(folded.inferenceBufferBytes() > 0, "the pool keeps its buffers between calls");
        folded.releaseInferenceBuffers();
        assertEquals(0, folded.inferenceBufferBytes());
        assertEquals(before, folded.logits(x));
        assertTrue(folded.inferenceBufferBytes() > 0);
    }

    @Test
    void concurrentCallersEachGetTheirOwnAnswer() throws Exception {
        EcgNetwork folded = trained(TinyZoo.all()[0], 1).forInference();
        List<INDArray> inputs = new ArrayList<>();
        List<INDArray> want = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 1 + i % 3, 1, 64 + i, 1).muli(i + 1);
            inputs.add(x);
            want.add(folded.logits(x));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<INDArray>> got = new ArrayList<>();
                for (INDArray x : inputs) {
                    got.add(pool.submit(() -> folded.logits(x)));
                }
                for (int i = 0; i < inputs.size(); i++) {
                    assertClose(want.get(i), got.get(i).get(), "input " + i + " round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aGraphWithAnUnplannedVertexRunsOnDl4j() {
        // An element-wise product is not among the planned vertices.
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("ecg")
                .setInputTypes(InputType.convolutional(1, 32, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(1, 3).padding(0, 1).nOut(4)
                        .activation(Activation.IDENTITY).build(), "ecg")
                .addVertex("square", new ElementWiseVertex(ElementWiseVertex.Op.Product), "conv", "conv")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "square")
                .addLayer("logits", new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build(), "pool")
                .addLayer("features_out", new ActivationLayer.Builder().activation(Activation.IDENTITY).build(),
                        "pool")
                .setOutputs("logits", "features_out")
                .build());
        g.init();
        EcgNetwork net = new EcgNetwork(g, "custom", Map.of(), 4);
        EcgNetwork folded = net.forInference();
        assertFalse(folded.isDirectInference());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 1);
        assertClose(net.logits(x), folded.logits(x), "custom graph logits");
    }

    @Test
    void theOptionSwitchesThePlanOff() {
        EcgNetwork net = trained(TinyZoo.all()[0], 1);
        EcgNetwork off = net.withEngineOptions(EngineOptions.builder().optDirectInference(false).build());
        assertFalse(off.forInference().isDirectInference());
        assertTrue(net.forInference().isDirectInference(), "the original network keeps its options");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 64, 1);
        assertClose(net.logits(x), off.forInference().logits(x), "graph path");
        EcgNetwork built = TinyZoo.all()[0].build(NetworkSpec.of(1, 3, 5)
                .withEngine(EngineOptions.builder().optDirectInference(false).build()));
        assertFalse(built.forInference().isDirectInference(), "options given at build time reach the snapshot");
    }

    private static void assertClose(INDArray want, INDArray got, String what) {
        assertTrue(java.util.Arrays.equals(want.shape(), got.shape()), what + ": shape "
                + java.util.Arrays.toString(got.shape()) + ", want " + java.util.Arrays.toString(want.shape()));
        double scale = Math.max(1, want.amaxNumber().doubleValue());
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": max difference " + diff + " at scale " + scale);
    }
}
