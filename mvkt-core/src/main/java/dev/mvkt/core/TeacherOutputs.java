package dev.mvkt.core;

import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The frozen teacher's logits and features per training record, computed on the record's first visit and reused
 * afterwards. The teacher runs in inference mode (running statistics, no dropout) on inputs that do not change
 * between epochs, so its outputs for a record are the same every epoch: from the second epoch on, a distillation
 * step needs no teacher forward pass. Outputs do not depend on the other records of a batch, so reusing them is
 * exact up to float rounding.
 */
final class TeacherOutputs {
    private final float[][] logits;
    private final float[][] features;

    private TeacherOutputs(int records) {
        this.logits = new float[records][];
        this.features = new float[records][];
    }

    /**
     * A cache for {@code records} records, or null when it would take more than a quarter of the heap (or 1 GiB):
     * then the teacher runs on every step, as without it ({@code EngineOptions.teacherCache()} off).
     */
    static TeacherOutputs forRecords(int records, int classes, int featureDim) {
        long bytes = (long) records * (classes + featureDim) * Float.BYTES;
        long budget = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
        return bytes <= budget ? new TeacherOutputs(records) : null;
    }

    /**
     * The teacher's outputs for the records {@code idx}; {@code forward} runs the teacher on the records not seen
     * before (their indices, in order) and must return their outputs in that order.
     */
    EcgNetwork.Outputs get(int[] idx, Function<int[], EcgNetwork.Outputs> forward) {
        int[] missing = Arrays.stream(idx).filter(i -> logits[i] == null).distinct().toArray();
        if (missing.length > 0) {
            EcgNetwork.Outputs out = forward.apply(missing);
            float[][] l = out.logits().castTo(DataType.FLOAT).toFloatMatrix();
            float[][] f = out.features().castTo(DataType.FLOAT).toFloatMatrix();
            for (int k = 0; k < missing.length; k++) {
                logits[missing[k]] = l[k];
                features[missing[k]] = f[k];
            }
        }
        float[][] l = new float[idx.length][];
        float[][] f = new float[idx.length][];
        for (int k = 0; k < idx.length; k++) {
            l[k] = logits[idx[k]];
            f[k] = features[idx[k]];
        }
        INDArray la = Nd4j.create(l);
        INDArray fa = Nd4j.create(f);
        return new EcgNetwork.Outputs(la, fa);
    }
}
