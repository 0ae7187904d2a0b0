package dev.mvkt.api;

import com.google.common.collect.ImmutableMap;

import java.util.Map;

/**
 * A loss value and its gradients with respect to the differentiable inputs of {@link LossInputs}.
 *
 * <p>A gradient is {@code null} when the loss does not depend on that input.
 *
 * @param value                 the loss (a batch mean)
 * @param dStudentLogits        dL/d studentLogits, or null
 * @param dStudentEmbedding     dL/d studentEmbedding, or null
 * @param dTeacherEmbedding     dL/d teacherEmbedding, or null
 * @param parts                 the unweighted value of each named term that contributed (for logging)
 */
public record LossValue(double value, double[][] dStudentLogits, double[][] dStudentEmbedding,
                        double[][] dTeacherEmbedding, Map<String, Double> parts) {

    public LossValue {
        parts = parts == null ? Map.of() : ImmutableMap.copyOf(parts);
    }

    /** A value with only a gradient on the student logits. */
    public static LossValue ofLogits(String name, double value, double[][] dLogits) {
        return new LossValue(value, dLogits, null, null, Map.of(name, value));
    }
}
