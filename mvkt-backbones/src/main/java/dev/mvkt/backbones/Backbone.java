package dev.mvkt.backbones;

import java.util.Map;

/**
 * A network architecture that turns {@code [batch, leads, samples]} ECGs into class logits and a pooled feature
 * vector (the input of CLT's projection head).
 *
 * <p>A backbone is a reusable description; {@link #build(NetworkSpec)} makes a freshly initialised network from it,
 * so the same backbone can serve a 12-lead teacher and a 1-lead student.
 */
public interface Backbone {

    /** A freshly initialised network for {@code spec}. */
    EcgNetwork build(NetworkSpec spec);

    /** The architecture's name, e.g. {@code resnet1d_wang}. */
    String name();

    /** The architecture's hyperparameters, recorded in model provenance. */
    Map<String, Object> config();
}
