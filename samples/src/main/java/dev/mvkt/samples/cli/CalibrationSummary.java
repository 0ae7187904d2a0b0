package dev.mvkt.samples.cli;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.core.CalibrationError;
import dev.mvkt.core.MvktModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a model's probabilities are calibrated, before (the network's plain sigmoid) and after its per-class
 * temperatures ({@code dev.mvkt.core.Calibration}), on the validation split the temperatures were fitted on and on the
 * test split, as expected calibration errors ({@link CalibrationError}: 15 equal-width bins, over all classes'
 * (probability, label) pairs and per class). A model without calibration (or saved before it existed) has T = 1, and
 * its errors are the same before and after.
 *
 * @param temperatures    the model's temperature per class
 * @param val             ECEs on validation
 * @param test            ECEs on test
 * @param testUncalibrated the test probabilities before calibration, for the reliability diagram
 */
record CalibrationSummary(double[] temperatures, Ece val, Ece test, double[][] testUncalibrated) {

    /**
     * The ECEs of one split.
     *
     * @param before         over all pairs, uncalibrated
     * @param after          over all pairs, calibrated
     * @param beforePerClass per class, uncalibrated
     * @param afterPerClass  per class, calibrated
     */
    record Ece(double before, double after, double[] beforePerClass, double[] afterPerClass) {

        static Ece of(double[][] uncalibrated, double[][] calibrated, float[][] labels) {
            int classes = labels.length == 0 ? 0 : labels[0].length;
            double[] b = new double[classes];
            double[] a = new double[classes];
            for (int c = 0; c < classes; c++) {
                b[c] = CalibrationError.ece(uncalibrated, labels, c);
                a[c] = CalibrationError.ece(calibrated, labels, c);
            }
            return new Ece(CalibrationError.ece(uncalibrated, labels), CalibrationError.ece(calibrated, labels), b, a);
        }

        Map<String, Object> toJson(List<String> classes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("before", ModelResult.num(before));
            m.put("after", ModelResult.num(after));
            Map<String, Object> perClass = new LinkedHashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("before", ModelResult.num(beforePerClass[c]));
                k.put("after", ModelResult.num(afterPerClass[c]));
                perClass.put(classes.get(c), k);
            }
            m.put("perClass", perClass);
            return m;
        }
    }

    /**
     * Scores {@code m} on validation and test; {@code testLogits} and {@code testCalibrated} are the test split's,
     * computed once by the caller.
     */
    static CalibrationSummary of(MvktModel m, EcgDataset data, double[][] testLogits, double[][] testCalibrated) {
        double[][] valLogits = m.logits(data.val());
        double[][] testRaw = sigmoid(testLogits);
        return new CalibrationSummary(m.temperatures(),
                Ece.of(sigmoid(valLogits), m.probabilities(valLogits), data.val().labelMatrix()),
                Ece.of(testRaw, testCalibrated, data.test().labelMatrix()), testRaw);
    }

    /** The uncalibrated probabilities: the plain sigmoid of the logits. */
    static double[][] sigmoid(double[][] z) {
        double[][] p = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            p[i] = new double[z[i].length];
            for (int c = 0; c < p[i].length; c++) {
                p[i][c] = 1 / (1 + Math.exp(-z[i][c]));
            }
        }
        return p;
    }

    Map<String, Object> toJson(List<String> classes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "per-class temperature scaling, sigmoid(logit / T), fitted on validation");
        m.put("eceBins", CalibrationError.BINS);
        List<Object> t = new ArrayList<>();
        for (double v : temperatures) {
            t.add(ModelResult.num(v));
        }
        m.put("temperatures", t);
        m.put("val", val.toJson(classes));
        m.put("test", test.toJson(classes));
        return m;
    }
}
