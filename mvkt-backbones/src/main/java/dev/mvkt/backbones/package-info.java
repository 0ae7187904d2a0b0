/**
 * The backbone zoo: the paper's architectures as builders of DL4J {@link org.deeplearning4j.nn.graph.ComputationGraph}s
 * that expose class logits and pooled features.
 *
 * <p>Networks train through external errors ({@link dev.mvkt.backbones.EcgNetwork#trainStep}) rather than DL4J output
 * layers, because MVKT's objective couples a frozen teacher, memory banks and projection heads that no single DL4J
 * loss function can see.
 */
package dev.mvkt.backbones;
