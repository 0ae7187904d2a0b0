package dev.mvkt.samples.cli;

import dev.mvkt.backbones.onnx.UnsupportedVertexException;
import dev.mvkt.core.MvktModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mvkt export}: a saved model as an ONNX file, for ONNX Runtime on phones, in browsers and services. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = MvktCli.Version.class,
        description = "Writes a saved model (student or teacher) as an ONNX file: input 'ecg' [batch, leads, samples] "
                + "in mV, outputs 'probabilities' and 'logits' [batch, classes], the input standardisation and the "
                + "sigmoid inside; leads, sampling rate, window length, labels, thresholds and provenance as "
                + "metadata (docs/deployment.md).")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A .mvkt file.")
    Path model;

    @Option(names = "--onnx", required = true, paramLabel = "FILE",
            description = "The ONNX file to write (replaced whole, or left as it was on failure).")
    Path onnx;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + ": no such file");
        }
        MvktModel m = TrainCommands.load(model);
        try {
            m.exportOnnx(onnx);
        } catch (UnsupportedVertexException e) {
            // Not a bad argument: the model holds a layer the exporter does not translate.
            throw new IllegalStateException(model + ": " + e.getMessage(), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "onnx: %s (%s, leads %s, %d classes, %d bytes)%n", onnx,
                m.architecture(), m.leads(), m.labels().size(), Files.size(onnx));
        o.flush();
        return 0;
    }
}
