package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.datasets.SyntheticEcg;

/**
 * A tiny student and teacher trained once per test JVM (surefire reuses its fork across test classes), for the
 * model-file tests, which need real trained models but not good ones.
 */
final class TinyModels {
    private static EcgDataset data;
    private static Student student;
    private static Teacher teacher;

    private TinyModels() {
    }

    static synchronized EcgDataset data() {
        if (data == null) {
            data = SyntheticEcg.builder().optSeed(5).optSizes(32, 16, 16).build();
        }
        return data;
    }

    /** A lead-II baseline student (BCE, one epoch, width 4). */
    static synchronized Student student() {
        if (student == null) {
            student = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(4).build()).optLead(Lead.II)
                    .optEpochs(1).optBatchSize(16).optSeed(1).optListener(ConsoleProgress.silent()).trainOn(data());
        }
        return student;
    }

    static synchronized Teacher teacher() {
        if (teacher == null) {
            teacher = Mvkt.teacher(Backbones.resnet1dWangBuilder().optWidth(4).build()).optEpochs(1)
                    .optBatchSize(16).optSeed(1).optListener(ConsoleProgress.silent()).trainOn(data());
        }
        return teacher;
    }

    /** A fixed lead-II recording to compare outputs on. */
    static float[] leadII() {
        return data().test().record(0).lead(Lead.II);
    }
}
