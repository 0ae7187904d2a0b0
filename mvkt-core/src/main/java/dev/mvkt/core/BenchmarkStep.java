package dev.mvkt.core;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;
import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * Internal, not API: the trainer's own optimisation step, outside a training run, so that benchmarks (samples'
 * {@code Bench}) time exactly the code that training runs, projection heads (Adam) and all. It may change or go
 * away in any release; applications train through {@link Mvkt}.
 */
public final class BenchmarkStep {
    private final EcgNetwork student;
    private final LossTerm loss;
    private final ProjectionHead studentHead;
    private final ProjectionHead teacherHead;

    private BenchmarkStep(EcgNetwork student, LossTerm loss, ProjectionHead studentHead, ProjectionHead teacherHead) {
        this.student = student;
        this.loss = loss;
        this.studentHead = studentHead;
        this.teacherHead = teacherHead;
    }

    /**
     * The step training runs for {@code student} under {@code loss}: the loss is prepared on {@code context} and, if
     * it has an embedding, projection heads are made as training makes them (the builders' defaults: weight decay
     * 1e-4 on all parameters).
     *
     * @param teacherFeatures the teacher's feature size (ignored when the loss has no embedding)
     */
    public static BenchmarkStep of(EcgNetwork student, int teacherFeatures, LossTerm loss, LossContext context,
                                   double learningRate, long seed) {
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(loss, "loss");
        loss.prepare(Objects.requireNonNull(context, "context"));
        int dim = loss.embeddingDim();
        ProjectionHead[] heads = dim > 0 ? Trainer.projectionHeads(student.featureDim(), teacherFeatures, dim,
                learningRate, 1e-4, true, seed)
                : new ProjectionHead[2];
        return new BenchmarkStep(student, loss, heads[0], heads[1]);
    }

    /**
     * One step on the records {@code idx} (indices into the prepared training set) with input {@code x}, labels
     * {@code y} and the teacher's outputs for those records (null for a loss without a teacher).
     */
    public LossValue run(INDArray x, double[][] y, int[] idx, EcgNetwork.Outputs teacherOutputs) {
        return Trainer.step(student, loss, studentHead, teacherHead, x, y, null, idx, teacherOutputs);
    }
}
