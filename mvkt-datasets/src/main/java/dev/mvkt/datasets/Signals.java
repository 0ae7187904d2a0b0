package dev.mvkt.datasets;

import dev.mvkt.api.Lead;

import java.nio.file.Path;
import java.util.List;

/** Shared signal plumbing of the loaders: lead order, fixed length, rate change and finiteness. */
final class Signals {

    private Signals() {
    }

    /**
     * Rows of {@code x} reordered into {@code target} order by their header names (parsed case-insensitively); the
     * rows themselves are not copied.
     *
     * @throws EcgFormatException naming the file when a lead is missing, repeated or unknown, or the count differs
     */
    static float[][] reorder(Path file, float[][] x, List<String> names, List<Lead> target)
            throws EcgFormatException {
        if (names.size() != target.size()) {
            throw new EcgFormatException(file, "signal lines", "has " + names.size() + " leads " + names
                    + "; expected " + target.size() + " " + target);
        }
        float[][] out = new float[target.size()][];
        for (int s = 0; s < names.size(); s++) {
            Lead lead;
            try {
                lead = Lead.parse(names.get(s));
            } catch (IllegalArgumentException e) {
                throw new EcgFormatException(file, "signal " + (s + 1) + ", field description", e.getMessage());
            }
            int i = target.indexOf(lead);
            if (i < 0 || out[i] != null) {
                throw new EcgFormatException(file, "signal " + (s + 1) + ", field description", "lead " + lead
                        + (i < 0 ? " is not one of " + target : " appears twice"));
            }
            out[i] = x[s];
        }
        return out;
    }

    /**
     * The paper's CenterCrop1D: the middle {@code length} samples when longer (start {@code (n - length) / 2}),
     * the signal repeated end to end and cut when shorter.
     */
    static float[] fixLength(float[] x, int length) {
        int n = x.length;
        if (n == length) {
            return x;
        }
        float[] out = new float[length];
        if (n > length) {
            System.arraycopy(x, (n - length) / 2, out, 0, length);
        } else {
            for (int i = 0; i < length; i += n) {
                System.arraycopy(x, 0, out, i, Math.min(n, length - i));
            }
        }
        return out;
    }

    /**
     * Downsamples by an integer factor after a windowed-sinc low-pass at the new Nyquist frequency, so that 500 Hz
     * records can feed a 100 Hz model without aliasing. Edges are handled by reflection.
     */
    static float[] decimate(float[] x, int factor) {
        if (factor == 1) {
            return x;
        }
        double[] h = lowPass(factor);
        int half = h.length / 2;
        int n = x.length / factor;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i * factor;
            double acc = 0;
            for (int k = 0; k < h.length; k++) {
                int j = c + k - half;
                if (j < 0) {
                    j = -j;
                } else if (j >= x.length) {
                    j = 2 * x.length - 2 - j;
                }
                j = Math.max(0, Math.min(x.length - 1, j));
                acc += h[k] * x[j];
            }
            out[i] = (float) acc;
        }
        return out;
    }

    private static double[] lowPass(int factor) {
        int taps = 20 * factor + 1;
        double[] h = new double[taps];
        int half = taps / 2;
        double cutoff = 0.5 / factor;
        double sum = 0;
        for (int k = 0; k < taps; k++) {
            int m = k - half;
            double sinc = m == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
            double w = 0.54 - 0.46 * Math.cos(2 * Math.PI * k / (taps - 1));
            h[k] = sinc * w;
            sum += h[k];
        }
        for (int k = 0; k < taps; k++) {
            h[k] /= sum;
        }
        return h;
    }

    /** @throws EcgFormatException naming the file, lead and sample of the first NaN or infinity */
    static void requireFinite(Path file, float[][] x, List<?> leadNames) throws EcgFormatException {
        for (int l = 0; l < x.length; l++) {
            for (int i = 0; i < x[l].length; i++) {
                if (!Float.isFinite(x[l][i])) {
                    throw new EcgFormatException(file, "lead " + leadNames.get(l) + ", sample " + i, "value "
                            + x[l][i] + "; expected a finite number");
                }
            }
        }
    }
}
