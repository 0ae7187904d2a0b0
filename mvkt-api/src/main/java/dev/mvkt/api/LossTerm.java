package dev.mvkt.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One term of a training objective, such as BCE, MKD or CLT, or a weighted sum of terms.
 *
 * <p>The core method {@link #compute(LossInputs)} takes plain arrays and returns a number and its gradient, so a
 * term can be tested and reused without any deep-learning engine. Stateful terms (CLT's memory banks) are set up by
 * {@link #prepare(LossContext)} and told about each finished step by {@link #afterStep(LossInputs)}.
 *
 * <p>Compose terms by weights: {@code bce.plus(mkd.weight(1.0)).plus(clt.weight(0.8))}.
 */
public interface LossTerm {

    /** The loss of one batch and its gradients. Must not change state: it may be called for gradient checks. */
    LossValue compute(LossInputs inputs);

    /** A short name, e.g. {@code "mkd"}. */
    String name();

    /** The hyperparameters of this term, recorded in model provenance. */
    Map<String, Object> config();

    /** Called once before training with the training split's size and labels. */
    default void prepare(LossContext context) {
    }

    /** Called after each optimisation step with that step's inputs (e.g. to update memory banks). */
    default void afterStep(LossInputs inputs) {
    }

    /**
     * Writes the term's training state (e.g. CLT's memory banks), so that an interrupted run can resume. Stateless
     * terms write nothing.
     */
    default void writeState(java.io.DataOutputStream out) throws java.io.IOException {
    }

    /**
     * Restores what {@link #writeState} wrote, after {@link #prepare(LossContext)} with the same context.
     *
     * @throws java.io.IOException if the state does not fit this term's configuration
     */
    default void readState(java.io.DataInputStream in) throws java.io.IOException {
    }

    /** Whether the term needs the frozen teacher's outputs. */
    default boolean needsTeacher() {
        return false;
    }

    /** Dimension of the projection heads this term needs, or 0 when it needs none. */
    default int embeddingDim() {
        return 0;
    }

    /** The terms of a sum with their weights; a single term is a sum of itself with weight 1. */
    default List<WeightedTerm> terms() {
        return List.of(new WeightedTerm(1.0, this));
    }

    /** This term scaled by {@code weight}. */
    default LossTerm weight(double weight) {
        List<WeightedTerm> scaled = new ArrayList<>();
        for (WeightedTerm t : terms()) {
            scaled.add(new WeightedTerm(t.weight() * weight, t.term()));
        }
        return new LossSum(scaled);
    }

    /** The sum of this term and {@code other}. */
    default LossTerm plus(LossTerm other) {
        List<WeightedTerm> all = new ArrayList<>(terms());
        all.addAll(other.terms());
        return new LossSum(all);
    }

    /** A term with its weight in a sum. */
    record WeightedTerm(double weight, LossTerm term) {
        public WeightedTerm {
            if (!Double.isFinite(weight) || weight < 0) {
                throw new IllegalArgumentException("weight of loss term " + term.name()
                        + " must be finite and non-negative, was " + weight);
            }
        }
    }
}
