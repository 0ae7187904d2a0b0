/**
 * ONNX export of a backbone's folded inference graph: {@link dev.mvkt.backbones.onnx.OnnxExport} writes a standard
 * ONNX model (IR 7, opset 13) that runs in ONNX Runtime on phones, in browsers and in C++ services.
 *
 * <p>The graph is walked from the {@link dev.mvkt.backbones.EcgNetwork#forInference()} snapshot, the same folded
 * graph that mvkt's own inference runs, one ONNX node per DL4J vertex; time runs along the last axis, so the model's
 * input is {@code [batch, leads, samples]}. The ONNX protobuf classes are the ones shipped inside {@code nd4j-api};
 * no other dependency is needed to export, and ONNX Runtime is used by the tests only. docs/deployment.md states the
 * exported model's contract.
 */
package dev.mvkt.backbones.onnx;
