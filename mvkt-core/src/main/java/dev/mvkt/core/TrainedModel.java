package dev.mvkt.core;

import dev.mvkt.api.Evaluation;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.EcgNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * What teachers and students share: the network, the leads it reads, the classes and their validation-chosen
 * thresholds, the input standardisation, the sampling rate and window length it was trained on, provenance, and the
 * per-class calibration temperatures ({@link Calibration}; all 1 for an uncalibrated model).
 */
record TrainedModel(String kind, EcgNetwork network, List<Lead> leads, LabelSet labels, double[] thresholds,
                    Standardizer standardizer, double samplingRate, int length, Provenance provenance,
                    double[] temperatures) {

    TrainedModel {
        leads = List.copyOf(leads);
        thresholds = thresholds.clone();
        if (thresholds.length != labels.size()) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + labels.size() + " classes");
        }
        temperatures = temperatures.clone();
        if (temperatures.length != labels.size()) {
            throw new IllegalArgumentException(temperatures.length + " temperatures for " + labels.size()
                    + " classes");
        }
        for (int c = 0; c < temperatures.length; c++) {
            if (!Calibration.valid(temperatures[c])) {
                throw new IllegalArgumentException("temperature of class " + labels.name(c) + " is "
                        + temperatures[c] + "; expected a value in [" + Calibration.MIN_TEMPERATURE + ", "
                        + Calibration.MAX_TEMPERATURE + "]");
            }
        }
    }

    /** An uncalibrated model (every temperature 1). */
    TrainedModel(String kind, EcgNetwork network, List<Lead> leads, LabelSet labels, double[] thresholds,
                 Standardizer standardizer, double samplingRate, int length, Provenance provenance) {
        this(kind, network, leads, labels, thresholds, standardizer, samplingRate, length, provenance,
                Calibration.identity(labels.size()));
    }

    /** The calibrated probabilities {@code sigmoid(logit / T)} of logits {@code [records][classes]}. */
    double[][] probabilities(double[][] logits) {
        return Calibration.probabilities(logits, temperatures);
    }

    /** The same for a logits array of the network, {@code [records, classes]}, as doubles. */
    INDArray probabilities(INDArray logits) {
        INDArray z = logits.castTo(DataType.DOUBLE).divRowVector(Nd4j.createFromArray(temperatures));
        return Transforms.sigmoid(z, false);
    }

    /** Scores with {@code net}: this model's network or its {@link EcgNetwork#forInference()} snapshot. */
    Evaluation evaluate(Split split, EcgNetwork net) {
        checkCompatible(split);
        int unlabelled = split.size() - split.labelledCount();
        if (unlabelled > 0) {
            throw new IllegalArgumentException(unlabelled + " of the " + split.size() + " records are unlabelled; "
                    + "scores need every record's labels (use probabilities() for unlabelled records)");
        }
        Batches batches = new Batches(split, leads, standardizer);
        return new MultiLabelEvaluation(labels, probabilities(Predictor.logits(net, batches, split.size())),
                batches.labels(Batches.range(0, split.size())), thresholds);
    }

    void checkCompatible(Split split) {
        if (!split.labels().equals(labels)) {
            throw new IllegalArgumentException("the model predicts " + labels + " but the data is labelled "
                    + split.labels());
        }
        if (split.samplingRate() != samplingRate) {
            throw new IllegalArgumentException("the model was trained at " + samplingRate
                    + " Hz but the data is at " + split.samplingRate() + " Hz; resample the data or train at its rate");
        }
    }
}
