package dev.mvkt.core;

/**
 * Band-limited resampling by windowed-sinc interpolation. The cut-off is the lower Nyquist frequency of the two
 * rates (times 0.9), so downsampling is anti-aliased and upsampling adds no images; each output sample is normalised
 * by its kernel sum, which keeps the baseline exact at the edges.
 */
final class Resample {
    /** Zero crossings of the sinc on each side: a good trade of sharpness against cost for ECG bandwidths. */
    private static final int ZEROS = 8;

    private Resample() {
    }

    static float[] resample(float[] x, double fromHz, double toHz) {
        if (fromHz == toHz) {
            return x.clone();
        }
        // At least one sample, so that a recording scored despite being very short still has something to tile.
        int outLen = Math.max(1, (int) Math.round(x.length * toHz / fromHz));
        float[] y = new float[outLen];
        double cutoff = 0.9 * Math.min(fromHz, toHz) / 2; // Hz
        double fc = cutoff / fromHz; // cycles per input sample
        double halfWidth = ZEROS / (2 * fc); // input samples
        for (int j = 0; j < outLen; j++) {
            double center = j * fromHz / toHz;
            int lo = Math.max(0, (int) Math.ceil(center - halfWidth));
            int hi = Math.min(x.length - 1, (int) Math.floor(center + halfWidth));
            double acc = 0;
            double norm = 0;
            for (int i = lo; i <= hi; i++) {
                double d = i - center;
                double arg = 2 * fc * d;
                double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
                double win = 0.5 + 0.5 * Math.cos(Math.PI * d / halfWidth); // Hann
                double k = sinc * win;
                acc += k * x[i];
                norm += k;
            }
            y[j] = (float) (acc / norm);
        }
        return y;
    }
}
