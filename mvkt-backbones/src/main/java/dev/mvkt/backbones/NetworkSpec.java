package dev.mvkt.backbones;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What a backbone is built for: input leads, output classes, and the optimiser its parameters train with.
 *
 * <p>The signal length is not part of the spec: every backbone ends in global pooling, so one network accepts
 * 1000 samples at 100 Hz as well as 5000 at 500 Hz.
 *
 * @param inputLeads number of input channels (1 for a single-lead student, 12 for a teacher)
 * @param classes    number of output logits
 * @param seed       seed of the weight initialisation
 * @param updater    optimiser of all parameters (DL4J keeps it in the layer configuration)
 * @param l2         L2 weight decay, as PyTorch Adam's {@code weight_decay}
 * @param decayScope which parameters {@code l2} applies to
 * @param engine     the engine options the network trains and infers with
 */
public record NetworkSpec(int inputLeads, int classes, long seed, IUpdater updater, double l2,
                          DecayScope decayScope, EngineOptions engine) {

    public NetworkSpec {
        if (inputLeads < 1) {
            throw new IllegalArgumentException("inputLeads must be >= 1, was " + inputLeads);
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, was " + classes);
        }
        if (updater == null) {
            throw new IllegalArgumentException("updater is null");
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be finite and >= 0, was " + l2);
        }
        if (decayScope == null) {
            throw new IllegalArgumentException("decayScope is null");
        }
        if (engine == null) {
            throw new IllegalArgumentException("engine is null");
        }
    }

    /** With the default {@link EngineOptions}. */
    public NetworkSpec(int inputLeads, int classes, long seed, IUpdater updater, double l2, DecayScope decayScope) {
        this(inputLeads, classes, seed, updater, l2, decayScope, EngineOptions.defaults());
    }

    /** This spec with other engine options. */
    public NetworkSpec withEngine(EngineOptions options) {
        return new NetworkSpec(inputLeads, classes, seed, updater, l2, decayScope, options);
    }

    /** Weight decay on every parameter, as PyTorch's Adam ({@link DecayScope#ALL_PARAMETERS}). */
    public NetworkSpec(int inputLeads, int classes, long seed, IUpdater updater, double l2) {
        this(inputLeads, classes, seed, updater, l2, DecayScope.ALL_PARAMETERS);
    }

    /** The paper's optimiser: Adam, lr 1e-3, weight decay 1e-4. */
    public static NetworkSpec of(int inputLeads, int classes, long seed) {
        return new NetworkSpec(inputLeads, classes, seed, new Adam(1e-3), 1e-4);
    }
}
