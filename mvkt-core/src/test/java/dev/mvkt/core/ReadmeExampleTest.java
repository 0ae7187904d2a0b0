package dev.mvkt.core;

import dev.mvkt.api.Diagnosis;
import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Evaluation;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;
import dev.mvkt.losses.Losses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's example, verbatim between the markers but for the sizes, so that it cannot rot.
 */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns(@TempDir Path dir) throws Exception {
        int epochs = 1;
        Path file = dir.resolve("student.mvkt");
        float[] leadI = SyntheticEcg.builder().optSizes(2, 2, 2).build().test().record(0).lead(Lead.I);
        // README example begin
        EcgDataset data = SyntheticEcg.builder().optSeed(0).optSizes(64, 32, 32).build();
        Teacher teacher = Mvkt.teacher(Backbones.resnet1dWangBuilder().optWidth(4).build())
                .optEpochs(epochs)
                .trainOn(data);
        Student student = teacher.distillTo(Backbones.resnet1dWangBuilder().optWidth(4).build())
                .optLead(Lead.I)
                .optLoss(Losses.bce().plus(Losses.mkd(1.5).weight(1.0)).plus(Losses.clt().weight(0.8)))
                .optEpochs(epochs)
                .trainOn(data);
        Evaluation test = student.evaluate(data.test());
        System.out.printf("macro AUC %.3f, F1 %.3f%n", test.macroAuc(), test.macroF1());
        student.save(file);
        Diagnosis d = Student.load(file).diagnose(leadI, 100.0);   // any sampling rate
        System.out.println(d.findings());
        // README example end
        assertEquals(5, d.probabilities().length);
        assertTrue(test.macroAuc() >= 0 && test.macroAuc() <= 1);
    }
}
