package dev.mvkt.api;

/**
 * What a loss term sees of one training batch: plain arrays, so that any test framework can drive a loss term.
 *
 * <p>Arrays that a stage does not produce are {@code null}: stage 1 (teacher training) has no teacher logits and no
 * embeddings. Embeddings are the raw outputs of the 128-d projection heads, before L2 normalisation; terms that need
 * unit vectors normalise them themselves so that their gradient covers the normalisation.
 *
 * @param studentLogits    {@code [batch][classes]} logits of the network being trained
 * @param labels           {@code [batch][classes]} multi-hot targets
 * @param teacherLogits    {@code [batch][classes]} logits of the frozen teacher, or null
 * @param studentEmbedding {@code [batch][dim]} student head output, or null
 * @param teacherEmbedding {@code [batch][dim]} teacher head output, or null
 * @param sampleIndices    index of each batch row in the training split (memory bank rows)
 * @param labelled         whether each batch row carries labels ({@link Split#isLabelled}), or null when all do;
 *                         terms that read {@code labels} must ignore unlabelled rows (their labels are all 0, not
 *                         targets), while terms on the teacher's outputs use every row
 */
public record LossInputs(double[][] studentLogits, double[][] labels, double[][] teacherLogits,
                         double[][] studentEmbedding, double[][] teacherEmbedding, int[] sampleIndices,
                         boolean[] labelled) {

    public LossInputs {
        if (studentLogits == null || labels == null) {
            throw new IllegalArgumentException("studentLogits and labels are required");
        }
        if (studentLogits.length != labels.length) {
            throw new IllegalArgumentException("studentLogits has " + studentLogits.length + " rows but labels has "
                    + labels.length);
        }
        if (teacherLogits != null && teacherLogits.length != studentLogits.length) {
            throw new IllegalArgumentException("teacherLogits has " + teacherLogits.length + " rows, expected "
                    + studentLogits.length);
        }
        if (sampleIndices != null && sampleIndices.length != studentLogits.length) {
            throw new IllegalArgumentException("sampleIndices has " + sampleIndices.length + " entries, expected "
                    + studentLogits.length);
        }
        if (labelled != null && labelled.length != studentLogits.length) {
            throw new IllegalArgumentException("labelled has " + labelled.length + " entries, expected "
                    + studentLogits.length);
        }
    }

    /** Inputs in which every row is labelled. */
    public LossInputs(double[][] studentLogits, double[][] labels, double[][] teacherLogits,
                      double[][] studentEmbedding, double[][] teacherEmbedding, int[] sampleIndices) {
        this(studentLogits, labels, teacherLogits, studentEmbedding, teacherEmbedding, sampleIndices, null);
    }

    /** Whether row {@code i} carries labels. */
    public boolean isLabelled(int i) {
        return labelled == null || labelled[i];
    }

    /** The number of labelled rows. */
    public int labelledRows() {
        if (labelled == null) {
            return studentLogits.length;
        }
        int n = 0;
        for (boolean b : labelled) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Inputs for a term that only needs logits and labels. */
    public static LossInputs of(double[][] logits, double[][] labels) {
        return new LossInputs(logits, labels, null, null, null, null);
    }

    public int batchSize() {
        return studentLogits.length;
    }

    public int classes() {
        return studentLogits.length == 0 ? 0 : studentLogits[0].length;
    }
}
