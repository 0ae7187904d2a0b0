package dev.mvkt.example.consumer;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.ConsoleProgress;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.core.Teacher;
import dev.mvkt.datasets.SyntheticEcg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Makes the tiny student (a few kB) and the recording that {@link Main} ships as resources, and the probabilities
 * this JVM's diagnosis gives, so that Main can check that a fresh JVM, on the class path or the module path, loads
 * and runs the same model. The build runs it before packaging: {@code java MakeStudent <resource directory>}.
 */
public final class MakeStudent {
    private MakeStudent() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        EcgDataset data = SyntheticEcg.builder().optSeed(3).optSizes(32, 16, 16).build();
        Backbone tiny = Backbones.resnet1dWangBuilder().optWidth(4).build();
        Teacher teacher = Mvkt.teacher(tiny).optEpochs(1).optBatchSize(16).optListener(ConsoleProgress.silent())
                .trainOn(data);
        Student student = teacher.distillTo(tiny).optLead(Lead.I).optEpochs(1).optBatchSize(16)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        Path model = dir.resolve(Main.MODEL);
        student.save(model);
        if (data.test().samplingRate() != Main.HZ) {
            throw new IllegalStateException("synthetic data at " + data.test().samplingRate() + " Hz");
        }
        float[] leadI = data.test().record(0).lead(Lead.I);
        Files.writeString(dir.resolve(Main.RECORDING), IntStream.range(0, leadI.length)
                .mapToObj(i -> Float.toString(leadI[i])).collect(Collectors.joining("\n")) + "\n");
        Diagnosis d = Student.load(model).diagnose(leadI, Main.HZ);
        StringBuilder sb = new StringBuilder();
        for (double p : d.probabilities()) {
            sb.append(String.format(Locale.ROOT, "%.9g%n", p));
        }
        Files.writeString(dir.resolve(Main.EXPECTED), sb);
        System.out.println("MakeStudent: " + model + " (" + Files.size(model) + " bytes), " + d.findings());
    }
}
