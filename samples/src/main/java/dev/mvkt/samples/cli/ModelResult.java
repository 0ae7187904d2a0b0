package dev.mvkt.samples.cli;

import dev.mvkt.api.EpochReport;
import dev.mvkt.api.Evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trained model's test-set outcome: the scores, the (calibrated) probabilities they came from (for ROC curves
 * and the bootstrap), its calibration errors, its epoch history, and where the model and its provenance were saved.
 */
record ModelResult(String id, String label, String kind, String backbone, String leads, String loss,
                   Evaluation test, double[][] probabilities, Stats.Interval aucCi, List<EpochReport> history,
                   String modelFile, String provenanceFile, int bestEpoch, double bestValAuc,
                   CalibrationSummary calibration) {

    /** Every number of this result, for results.json. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("label", label);
        m.put("kind", kind);
        m.put("backbone", backbone);
        m.put("leads", leads);
        m.put("loss", loss);
        m.put("testRecords", test.size());
        m.put("macroAuc", num(test.macroAuc()));
        m.put("macroAuc95ci", Arrays.asList(num(aucCi.lo()), num(aucCi.hi())));
        m.put("accuracy", num(test.accuracy()));
        m.put("macroF1", num(test.macroF1()));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < test.labels().size(); c++) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("auc", num(test.auc(c)));
            k.put("accuracy", num(test.accuracy(c)));
            k.put("f1", num(test.f1(c)));
            k.put("threshold", num(test.threshold(c)));
            perClass.put(test.labels().name(c), k);
        }
        m.put("perClass", perClass);
        m.put("calibration", calibration.toJson(test.labels().names()));
        m.put("bestEpoch", bestEpoch);
        m.put("bestValAuc", num(bestValAuc));
        m.put("history", history.stream().map(r -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", r.epoch());
            e.put("loss", num(r.loss()));
            e.put("lossParts", r.lossParts());
            e.put("valAuc", num(r.valAuc()));
            e.put("seconds", r.millis() / 1000.0);
            e.put("best", r.best());
            return e;
        }).toList());
        m.put("modelFile", modelFile);
        m.put("provenanceFile", provenanceFile);
        return m;
    }

    /** JSON has no NaN; an undefined score (a class absent from the test split) is written as null. */
    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
