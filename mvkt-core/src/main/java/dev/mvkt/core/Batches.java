package dev.mvkt.core;

import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Turns records of a split into standardised network input {@code [N, leads, samples, 1]}. */
final class Batches {
    private final Split split;
    private final int[] rows;
    private final Standardizer standardizer;

    /**
     * @param leads the leads to feed, in order; each must exist in the split
     */
    Batches(Split split, List<Lead> leads, Standardizer standardizer) {
        this.split = split;
        this.standardizer = standardizer;
        this.rows = new int[leads.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = split.leads().indexOf(leads.get(i));
            if (rows[i] < 0) {
                throw new IllegalArgumentException("the data has no lead " + leads.get(i) + "; it has "
                        + split.leads());
            }
        }
    }

    int leadCount() {
        return rows.length;
    }

    /** Input of the records at {@code indices}. */
    INDArray input(int[] indices) {
        int len = split.length();
        float[] buf = new float[indices.length * rows.length * len];
        int p = 0;
        for (int index : indices) {
            float[][] sig = split.record(index).signal();
            for (int r : rows) {
                float[] lead = sig[r];
                if (lead.length != len) {
                    throw new IllegalArgumentException("record " + split.record(index).id() + " has " + lead.length
                            + " samples, the split says " + len);
                }
                for (int t = 0; t < len; t++) {
                    buf[p++] = standardizer.apply(lead[t]);
                }
            }
        }
        return Nd4j.create(buf, new long[]{indices.length, rows.length, len, 1}, 'c');
    }

    /**
     * Input of {@code views} views of the records at {@code indices}, {@code [views·N, leads, samples, 1]}: view
     * {@code v} of record {@code indices[i]} is row {@code v·N + i}, the record's leads (in millivolts) after
     * {@code view.apply(v, i, signal)}, then standardised. For self-supervised pretraining's augmented views.
     */
    INDArray views(int[] indices, int views, View view) {
        int len = split.length();
        int n = indices.length;
        float[] buf = new float[views * n * rows.length * len];
        for (int i = 0; i < n; i++) {
            float[][] sig = split.record(indices[i]).signal();
            float[][] leads = new float[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                leads[r] = sig[rows[r]];
                if (leads[r].length != len) {
                    throw new IllegalArgumentException("record " + split.record(indices[i]).id() + " has "
                            + leads[r].length + " samples, the split says " + len);
                }
            }
            for (int v = 0; v < views; v++) {
                float[][] x = view.apply(v, i, leads);
                int p = ((v * n) + i) * rows.length * len;
                for (float[] lead : x) {
                    for (int t = 0; t < len; t++) {
                        buf[p++] = standardizer.apply(lead[t]);
                    }
                }
            }
        }
        return Nd4j.create(buf, new long[]{(long) views * n, rows.length, len, 1}, 'c');
    }

    /** Makes view {@code v} of batch row {@code i} from its leads {@code [leads][samples]}, without changing them. */
    @FunctionalInterface
    interface View {
        float[][] apply(int v, int i, float[][] leads);
    }

    /** Whether each record at {@code indices} is labelled, or null when all are. */
    boolean[] labelled(int[] indices) {
        boolean[] m = new boolean[indices.length];
        boolean all = true;
        for (int i = 0; i < indices.length; i++) {
            m[i] = split.isLabelled(indices[i]);
            all &= m[i];
        }
        return all ? null : m;
    }

    /** Multi-hot labels of the records at {@code indices}, {@code [N][classes]}. */
    double[][] labels(int[] indices) {
        double[][] y = new double[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            float[] l = split.labels(indices[i]);
            y[i] = new double[l.length];
            for (int c = 0; c < l.length; c++) {
                y[i][c] = l[c];
            }
        }
        return y;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
