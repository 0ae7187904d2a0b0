package dev.mvkt.core;

import dev.mvkt.api.Evaluation;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.EcgNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A trained multi-lead teacher. It stays frozen while students learn from it. */
public final class Teacher {
    private final TrainedModel model;

    Teacher(TrainedModel model) {
        this.model = model;
    }

    /** Starts stage 2: a student of {@code studentBackbone} (which may differ from the teacher's). */
    public StudentTrainer distillTo(Backbone studentBackbone) {
        return new StudentTrainer(studentBackbone, this);
    }

    /** Scores on {@code split} at the thresholds chosen on validation. */
    public Evaluation evaluate(Split split) {
        return model.evaluate(split);
    }

    /** Writes the teacher to {@code path} atomically. */
    public void save(Path path) throws IOException {
        ModelFiles.write(model, path);
    }

    /**
     * @throws ModelFormatException if the file is not an mvkt teacher, or is damaged
     */
    public static Teacher load(Path path) throws IOException {
        return new Teacher(ModelFiles.read(path, "teacher"));
    }

    public Provenance provenance() {
        return model.provenance();
    }

    public List<Lead> leads() {
        return model.leads();
    }

    public LabelSet labels() {
        return model.labels();
    }

    /** The underlying network (for inspection or benchmarking). */
    public EcgNetwork network() {
        return model.network();
    }

    TrainedModel model() {
        return model;
    }
}
