package dev.mvkt.core;

import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.backbones.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeacherOutputsTest {

    /** Cached outputs equal a fresh forward pass on the same records, and each record is computed once. */
    @Test
    void eachRecordRunsThroughTheTeacherOnce() {
        EcgNetwork teacher = Backbones.resnet1dWangBuilder().optWidth(4).build()
                .build(NetworkSpec.of(2, 3, 1)).forInference();
        INDArray records = Nd4j.rand(DataType.FLOAT, 10, 2, 50, 1).subi(0.5);
        List<Integer> computed = new ArrayList<>();
        TeacherOutputs cache = TeacherOutputs.forRecords(10, 3, teacher.featureDim());
        assertNotNull(cache);
        int[][] batches = {{3, 1, 7}, {7, 3, 0, 9}, {9, 1, 0, 3}, {5}};
        for (int[] idx : batches) {
            EcgNetwork.Outputs got = cache.get(idx, rows -> {
                for (int r : rows) {
                    computed.add(r);
                }
                return teacher.output(Nd4j.pullRows(records.reshape(10, -1), 1, rows).reshape(rows.length, 2, 50, 1));
            });
            EcgNetwork.Outputs want = teacher.output(Nd4j.pullRows(records.reshape(10, -1), 1, idx)
                    .reshape(idx.length, 2, 50, 1));
            assertArrayEquals(new long[]{idx.length, 3}, got.logits().shape());
            assertTrue(want.logits().equalsWithEps(got.logits(), 1e-5), "logits of " + java.util.Arrays.toString(idx));
            assertTrue(want.features().equalsWithEps(got.features(), 1e-5), "features");
        }
        assertEquals(List.of(3, 1, 7, 0, 9, 5), computed, "only records not seen before are computed");
    }

    @Test
    void aCacheBeyondItsBudgetIsNotMade() {
        assertNull(TeacherOutputs.forRecords(Integer.MAX_VALUE / 8, 5, 4096), "far beyond the heap budget");
    }
}
