package dev.mvkt.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a model says about one ECG: a probability per class, whether it passes that class's threshold, and the
 * quality verdict on the recording it read.
 *
 * <p>An <em>abstention</em> ({@link #abstained()}) is the answer to a recording judged
 * {@link SignalQuality.Verdict#UNUSABLE unusable}: no class was scored, every probability is NaN and there are no
 * findings; {@link #quality()} says why.
 *
 * @param labels        class names
 * @param probabilities sigmoid output per class (all NaN in an abstention)
 * @param thresholds    decision threshold per class (chosen on validation)
 * @param quality       the quality verdict on the recording, with its reasons
 */
public record Diagnosis(LabelSet labels, double[] probabilities, double[] thresholds, SignalQuality quality) {

    public Diagnosis {
        if (probabilities.length != labels.size() || thresholds.length != labels.size()) {
            throw new IllegalArgumentException("expected " + labels.size() + " probabilities and thresholds, got "
                    + probabilities.length + " and " + thresholds.length);
        }
        Objects.requireNonNull(quality, "quality");
        probabilities = probabilities.clone();
        thresholds = thresholds.clone();
    }

    /** A diagnosis whose recording was not checked ({@link SignalQuality#notAssessed()}). */
    public Diagnosis(LabelSet labels, double[] probabilities, double[] thresholds) {
        this(labels, probabilities, thresholds, SignalQuality.notAssessed());
    }

    /** No diagnosis, because of {@code quality}: every probability NaN, no findings. */
    public static Diagnosis abstention(LabelSet labels, double[] thresholds, SignalQuality quality) {
        double[] p = new double[labels.size()];
        Arrays.fill(p, Double.NaN);
        return new Diagnosis(labels, p, thresholds, quality);
    }

    /** Whether the model declined to score the recording (see {@link #quality()} for why). */
    public boolean abstained() {
        for (double p : probabilities) {
            if (!Double.isNaN(p)) {
                return false;
            }
        }
        return probabilities.length > 0;
    }

    /** Probability of the named class (NaN in an abstention). */
    public double probability(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown class '" + label + "'; classes are " + labels);
        }
        return probabilities[i];
    }

    /** The classes whose probability reaches their threshold, most probable first; none in an abstention. */
    public List<String> findings() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] >= thresholds[i]) {
                idx.add(i);
            }
        }
        idx.sort((a, b) -> Double.compare(probabilities[b], probabilities[a]));
        List<String> out = new ArrayList<>();
        idx.forEach(i -> out.add(labels.name(i)));
        return out;
    }

    @Override
    public String toString() {
        if (abstained()) {
            return "Diagnosis{abstained, quality " + quality + "}";
        }
        StringBuilder sb = new StringBuilder("Diagnosis{");
        for (int i = 0; i < probabilities.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(labels.name(i)).append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", probabilities[i]))
                    .append(probabilities[i] >= thresholds[i] ? "*" : "");
        }
        if (quality.assessed() && !quality.isOk()) {
            sb.append("; quality ").append(quality);
        }
        return sb.append('}').toString();
    }
}
