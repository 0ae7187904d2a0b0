package dev.mvkt.api;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model says about one ECG: a probability per class and whether it passes that class's threshold.
 *
 * @param labels        class names
 * @param probabilities sigmoid output per class
 * @param thresholds    decision threshold per class (chosen on validation)
 */
public record Diagnosis(LabelSet labels, double[] probabilities, double[] thresholds) {

    public Diagnosis {
        if (probabilities.length != labels.size() || thresholds.length != labels.size()) {
            throw new IllegalArgumentException("expected " + labels.size() + " probabilities and thresholds, got "
                    + probabilities.length + " and " + thresholds.length);
        }
        probabilities = probabilities.clone();
        thresholds = thresholds.clone();
    }

    /** Probability of the named class. */
    public double probability(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown class '" + label + "'; classes are " + labels);
        }
        return probabilities[i];
    }

    /** The classes whose probability reaches their threshold, most probable first. */
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
        StringBuilder sb = new StringBuilder("Diagnosis{");
        for (int i = 0; i < probabilities.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(labels.name(i)).append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", probabilities[i]))
                    .append(probabilities[i] >= thresholds[i] ? "*" : "");
        }
        return sb.append('}').toString();
    }
}
