package dev.mvkt.core;

import dev.mvkt.backbones.Backbone;

import java.io.IOException;
import java.nio.file.Path;

/** A trained multi-lead teacher. It stays frozen while students learn from it. */
public final class Teacher extends MvktModel {

    Teacher(TrainedModel model) {
        super(model);
    }

    /** Starts stage 2: a student of {@code studentBackbone} (which may differ from the teacher's). */
    public StudentTrainer distillTo(Backbone studentBackbone) {
        return new StudentTrainer(studentBackbone, this);
    }

    /**
     * @throws ModelFormatException if the file is not an mvkt teacher, or is damaged
     */
    public static Teacher load(Path path) throws IOException {
        return new Teacher(ModelFiles.read(path, "teacher"));
    }
}
