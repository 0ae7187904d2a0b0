package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import dev.mvkt.losses.Losses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the README's usage example, and fails when the README no longer shows exactly this code. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns(@TempDir Path dir) throws Exception {
        // The README sets these up for real use (full dataset, reference width, 20 epochs).
        EcgDataset data = SyntheticEcg.builder().optSeed(0).optSizes(64, 32, 32).build();
        Backbone backbone = Backbones.resnet1dWangBuilder().optWidth(4).build();
        int epochs = 1;
        Path file = dir.resolve("student.mvkt");
        float[] leadI = resampledLeadI(data);
        // README example begin
        Teacher teacher = Mvkt.teacher(backbone)
                .optEpochs(epochs)
                .trainOn(data);                                          // 12 leads, BCE
        Student student = teacher.distillTo(backbone)
                .optLead(Lead.I)
                .optLoss(Losses.bce().plus(Losses.mkd(1.5).weight(1.0)).plus(Losses.clt().weight(0.8)))
                .optEpochs(epochs)
                .trainOn(data);                                          // lead I, BCE + MKD + CLT
        Evaluation test = student.evaluate(data.test());                // macro AUC, accuracy, F1
        student.save(file);
        Diagnosis d = Student.load(file).diagnose(leadI, 250.0);         // lead I in mV, any sampling rate
        System.out.println(d.findings());
        // README example end
        assertEquals(5, d.probabilities().length);
        assertTrue(test.macroAuc() >= 0 && test.macroAuc() <= 1);
    }

    private static float[] resampledLeadI(EcgDataset data) {
        return Resample.resample(data.test().record(0).lead(Lead.I), 100, 250);
    }

    @Test
    void readmeShowsThisExample() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String self = Files.readString(root.resolve(
                "mvkt-core/src/test/java/dev/mvkt/core/ReadmeExampleTest.java"));
        List<String> example = new ArrayList<>();
        boolean in = false;
        for (String line : self.split("\n")) {
            if (line.contains("// README example end")) {
                break;
            }
            if (in) {
                example.add(line.substring(Math.min(8, line.length())));
            }
            if (line.contains("// README example begin")) {
                in = true;
            }
        }
        assertTrue(example.size() > 5);
        String block = "```java\n" + String.join("\n", example) + "\n```";
        assertTrue(readme.contains(block), "README.md must contain the example block:\n" + block);
    }
}
