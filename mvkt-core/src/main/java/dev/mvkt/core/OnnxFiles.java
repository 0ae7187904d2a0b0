package dev.mvkt.core;

import dev.mvkt.api.Lead;
import dev.mvkt.backbones.onnx.OnnxExport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A trained model as an ONNX file: the backbone's folded graph with the model's input standardisation in front and
 * the calibration (logits divided by the class temperatures, as a multiplication by 1/T) and the sigmoid behind
 * ({@link OnnxExport}), and what an app needs to use it as {@code metadata_props}: the leads in input order, the
 * sampling rate and window length it was trained on, the labels, the validation-chosen thresholds, the temperatures
 * (already applied inside the graph), and the model's provenance. docs/deployment.md lists the keys.
 */
final class OnnxFiles {
    private OnnxFiles() {
    }

    /** Writes atomically; nothing is written if a vertex cannot be exported. */
    static void write(TrainedModel m, dev.mvkt.backbones.EcgNetwork inference, Path path) throws IOException {
        OnnxExport export = export(m, inference);
        AtomicFiles.write(path, export::writeTo);
    }

    static OnnxExport export(TrainedModel m, dev.mvkt.backbones.EcgNetwork inference) {
        return OnnxExport.builder()
                .setNetwork(inference)
                .optStandardization(m.standardizer().mean(), m.standardizer().std())
                // The calibration: probabilities = sigmoid(logit / T), as diagnose gives them.
                .optLogitScale(logitScale(m.temperatures()))
                .optMetadata(metadata(m))
                .optProducerVersion(Versions.mvkt())
                .optDescription("mvkt " + m.kind() + " (" + m.network().architecture() + ") reading leads "
                        + m.leads() + " in mV at " + m.samplingRate() + " Hz, windows of " + m.length()
                        + " samples; outputs calibrated sigmoid probabilities per class")
                .build();
    }

    /** The factors 1/T, or null (no Mul node) when the model is uncalibrated. */
    private static double[] logitScale(double[] temperatures) {
        double[] s = new double[temperatures.length];
        boolean identity = true;
        for (int c = 0; c < s.length; c++) {
            s[c] = 1 / temperatures[c];
            identity &= temperatures[c] == 1;
        }
        return identity ? null : s;
    }

    /** The {@code metadata_props} of a model; keys as in docs/deployment.md. */
    static Map<String, String> metadata(TrainedModel m) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("format", "mvkt-onnx");
        out.put("formatVersion", "1");
        out.put("kind", m.kind());
        out.put("architecture", m.network().architecture());
        out.put("leads", m.leads().stream().map(Lead::name).collect(Collectors.joining(",")));
        out.put("samplingRate", String.valueOf(m.samplingRate()));
        out.put("length", String.valueOf(m.length()));
        out.put("input.unit", "mV");
        out.put("standardize.mean", String.valueOf(m.standardizer().mean()));
        out.put("standardize.std", String.valueOf(m.standardizer().std()));
        out.put("classes", String.valueOf(m.labels().size()));
        out.put("labels", json(m.labels().names().stream().map(OnnxFiles::quote).toList()));
        out.put("thresholds", json(IntStream.range(0, m.labels().size())
                .mapToObj(c -> String.valueOf(m.thresholds()[c])).toList()));
        out.put("temperatures", json(IntStream.range(0, m.labels().size())
                .mapToObj(c -> String.valueOf(m.temperatures()[c])).toList()));
        for (int c = 0; c < m.labels().size(); c++) {
            out.put("class." + c + ".name", m.labels().name(c));
            out.put("class." + c + ".threshold", String.valueOf(m.thresholds()[c]));
            out.put("class." + c + ".temperature", String.valueOf(m.temperatures()[c]));
        }
        m.provenance().entries().forEach((k, v) -> out.put("provenance." + k, v));
        return out;
    }

    private static String json(List<String> items) {
        return "[" + String.join(",", items) + "]";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
