package dev.mvkt.core;

import dev.mvkt.api.Evaluation;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.EcgNetwork;

import java.util.List;

/**
 * What teachers and students share: the network, the leads it reads, the classes and their validation-chosen
 * thresholds, the input standardisation, the sampling rate and window length it was trained on, and provenance.
 */
record TrainedModel(String kind, EcgNetwork network, List<Lead> leads, LabelSet labels, double[] thresholds,
                    Standardizer standardizer, double samplingRate, int length, Provenance provenance) {

    TrainedModel {
        leads = List.copyOf(leads);
        thresholds = thresholds.clone();
        if (thresholds.length != labels.size()) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + labels.size() + " classes");
        }
    }

    /** Scores with {@code net}: this model's network or its {@link EcgNetwork#forInference()} snapshot. */
    Evaluation evaluate(Split split, EcgNetwork net) {
        checkCompatible(split);
        return Trainer.evaluate(net, new Batches(split, leads, standardizer), split, thresholds);
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
