package dev.mvkt.backbones;

import dev.mvkt.backbones.engine.InferencePlan;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an inference-only copy of a trained graph in which every convolution followed only by a batch norm becomes
 * one convolution with a bias: with the running statistics μ, σ² and s = γ/√(σ² + ε) per output channel,
 * <pre>
 *   W' = s·W,   b' = s·(b − μ) + β
 * </pre>
 * which is exactly what the pair computes in inference mode, one layer (and one pass over the activations) fewer.
 * A batch norm that feeds only a dense layer (through dropouts, as in the benchmark heads) is folded into the dense
 * layer the same way. Batch norms after anything else (pooling, merges, additions) stay as they are.
 */
final class InferenceFolding {

    private InferenceFolding() {
    }

    /** The folded copy; {@code trained} is not changed. */
    static ComputationGraph fold(ComputationGraph trained) {
        ComputationGraphConfiguration conf = trained.getConfiguration().clone();
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, List<String>> consumers = new HashMap<>();
        inputs.forEach((v, ins) -> ins.forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(v)));

        Map<String, String> folded = new LinkedHashMap<>(); // conv → its batch norm
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            String bnName = e.getKey();
            if (!(e.getValue() instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof
                    BatchNormalization bn) || bn.isLockGammaBeta()) {
                continue;
            }
            List<String> in = inputs.get(bnName);
            if (in == null || in.size() != 1) {
                continue;
            }
            String convName = in.get(0);
            if (vertices.get(convName) instanceof LayerVertex cv && cv.getLayerConf().getLayer()
                    instanceof ConvolutionLayer conv && conv.getActivationFn() instanceof ActivationIdentity
                    && consumers.getOrDefault(convName, List.of()).equals(List.of(bnName))
                    && !conf.getNetworkOutputs().contains(convName)) {
                folded.put(convName, bnName);
            }
        }
        for (Map.Entry<String, String> f : folded.entrySet()) {
            String conv = f.getKey();
            String bn = f.getValue();
            ((ConvolutionLayer) ((LayerVertex) vertices.get(conv)).getLayerConf().getLayer()).setHasBias(true);
            vertices.remove(bn);
            inputs.remove(bn);
            inputs.replaceAll((v, ins) -> ins.stream().map(i -> i.equals(bn) ? conv : i).toList());
        }
        conf.setNetworkOutputs(conf.getNetworkOutputs().stream()
                .map(o -> folded.containsValue(o) ? keyOf(folded, o) : o).toList());
        fuseRelus(conf, folded.keySet());
        Map<String, String> intoDense = foldableIntoDense(conf, consumers);
        for (String bn : intoDense.values()) {
            String source = inputs.get(bn).get(0);
            vertices.remove(bn);
            inputs.remove(bn);
            inputs.replaceAll((v, ins) -> ins.stream().map(i -> i.equals(bn) ? source : i).toList());
        }
        intoDense.keySet().forEach(d -> ((DenseLayer) ((LayerVertex) vertices.get(d)).getLayerConf().getLayer())
                .setHasBias(true));
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);

        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        Map<String, INDArray> params = trained.paramTable();
        for (Map.Entry<String, INDArray> p : out.paramTable().entrySet()) {
            String key = p.getKey();
            INDArray source = params.get(key);
            if (source != null) {
                p.getValue().assign(source);
            }
        }
        for (Map.Entry<String, String> f : folded.entrySet()) {
            foldPair(trained, out, f.getKey(), f.getValue());
        }
        for (Map.Entry<String, String> f : intoDense.entrySet()) {
            foldIntoDense(trained, out, f.getKey(), f.getValue());
        }
        return out;
    }

    /**
     * A folded convolution whose only consumer is a ReLU activation layer takes the ReLU as its own activation, one
     * vertex (and one activation array) fewer.
     */
    private static void fuseRelus(ComputationGraphConfiguration conf, java.util.Set<String> convs) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        for (String conv : convs) {
            List<String> users = inputs.entrySet().stream().filter(e -> e.getValue().contains(conv))
                    .map(Map.Entry::getKey).toList();
            if (users.size() != 1 || conf.getNetworkOutputs().contains(conv)) {
                continue;
            }
            String act = users.get(0);
            if (vertices.get(act) instanceof LayerVertex av && av.getLayerConf().getLayer()
                    instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer al
                    && al.getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationReLU
                    && inputs.get(act).size() == 1 && !conf.getNetworkOutputs().contains(act)) {
                ((ConvolutionLayer) ((LayerVertex) vertices.get(conv)).getLayerConf().getLayer())
                        .setActivationFn(al.getActivationFn());
                vertices.remove(act);
                inputs.remove(act);
                inputs.replaceAll((v, ins) -> ins.stream().map(i -> i.equals(act) ? conv : i).toList());
            }
        }
    }

    /**
     * Dense layers fed only by a batch norm, through dropouts at most (identities in inference), as in the benchmark
     * heads: dense → its batch norm. With the norm's {@code y = s·x + t}, the dense layer {@code W·y + b} becomes
     * {@code (W·diag(s))·x + (W·t + b)}.
     */
    private static Map<String, String> foldableIntoDense(ComputationGraphConfiguration conf,
                                                         Map<String, List<String>> consumers) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            String bnName = e.getKey();
            if (!(e.getValue() instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof
                    BatchNormalization bn) || bn.isLockGammaBeta() || conf.getVertexInputs().get(bnName).size() != 1) {
                continue;
            }
            String next = bnName;
            while (true) {
                List<String> users = consumers.getOrDefault(next, List.of());
                if (users.size() != 1 || conf.getNetworkOutputs().contains(next)
                        || !(vertices.get(users.get(0)) instanceof LayerVertex uv) || uv.getPreProcessor() != null) {
                    break;
                }
                var layer = uv.getLayerConf().getLayer();
                if (layer instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer) {
                    next = users.get(0);
                } else {
                    if (layer instanceof DenseLayer && conf.getVertexInputs().get(users.get(0)).size() == 1) {
                        out.put(users.get(0), bnName);
                    }
                    break;
                }
            }
        }
        return out;
    }

    private static void foldIntoDense(ComputationGraph trained, ComputationGraph out, String dense, String bn) {
        INDArray[] st = InferencePlan.scaleShift(trained, bn);
        INDArray w = trained.getParam(dense + "_" + DefaultParamInitializer.WEIGHT_KEY); // [nIn, nOut]
        INDArray oldBias = trained.getParam(dense + "_" + DefaultParamInitializer.BIAS_KEY);
        INDArray b2 = st[1].reshape(1, -1).mmul(w);
        if (oldBias != null) {
            b2.addi(oldBias.reshape(b2.shape()));
        }
        out.getParam(dense + "_" + DefaultParamInitializer.WEIGHT_KEY)
                .assign(w.mulColumnVector(st[0].reshape(-1, 1)));
        INDArray bias = out.getParam(dense + "_" + DefaultParamInitializer.BIAS_KEY);
        bias.assign(b2.reshape(bias.shape()));
    }

    private static String keyOf(Map<String, String> map, String value) {
        return map.entrySet().stream().filter(e -> e.getValue().equals(value)).findFirst().orElseThrow().getKey();
    }

    private static void foldPair(ComputationGraph trained, ComputationGraph out, String conv, String bn) {
        INDArray[] st = InferencePlan.scaleShift(trained, bn);
        INDArray scale = st[0];
        INDArray w = trained.getParam(conv + "_" + ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray oldBias = trained.getParam(conv + "_" + ConvolutionParamInitializer.BIAS_KEY);
        INDArray w2 = w.dup();
        long outChannels = w.size(0);
        w2.reshape(outChannels, -1).muliColumnVector(scale.reshape(outChannels, 1));
        INDArray b2 = oldBias == null ? st[1] : oldBias.reshape(-1).mul(scale).addi(st[1]);
        out.getParam(conv + "_" + ConvolutionParamInitializer.WEIGHT_KEY).assign(w2);
        INDArray bias = out.getParam(conv + "_" + ConvolutionParamInitializer.BIAS_KEY);
        bias.assign(b2.reshape(bias.shape()));
    }
}
