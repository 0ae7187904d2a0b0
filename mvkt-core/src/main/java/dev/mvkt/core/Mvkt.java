package dev.mvkt.core;

import dev.mvkt.backbones.Backbone;

/**
 * The entry point.
 *
 * <pre>{@code
 * Teacher teacher = Mvkt.teacher(Backbones.resnet1dWang()).optEpochs(20).trainOn(data);
 * Student student = teacher.distillTo(Backbones.resnet1dWang()).optLead(Lead.I).trainOn(data);
 * Evaluation test = student.evaluate(data.test());
 * student.save(Path.of("student.mvkt"));
 * Diagnosis d = Student.load(Path.of("student.mvkt")).diagnose(leadI, 250.0);
 *
 * // Optionally, first pretrain the student's backbone on unlabelled records, then start from it:
 * Pretrained p = Mvkt.pretrain(Backbones.resnet1dWang()).optLead(Lead.I).trainOn(unlabelled);
 * Student s2 = teacher.distillTo(Backbones.resnet1dWang()).optInitFrom(p).trainOn(data);
 * }</pre>
 */
public final class Mvkt {
    private Mvkt() {
    }

    /** Stage 1: a teacher of this backbone on all leads, trained with BCE. */
    public static TeacherTrainer teacher(Backbone backbone) {
        return new TeacherTrainer(backbone);
    }

    /**
     * Self-supervised pretraining of this backbone on unlabelled records (CLECG-style contrastive learning between
     * augmented views); the result starts students through {@link StudentTrainer#optInitFrom(Pretrained)}.
     */
    public static Pretrainer pretrain(Backbone backbone) {
        return new Pretrainer(backbone);
    }

    /** A student without a teacher: the single-lead baseline, trained with BCE unless another loss is given. */
    public static StudentTrainer student(Backbone backbone) {
        return new StudentTrainer(backbone, null);
    }
}
