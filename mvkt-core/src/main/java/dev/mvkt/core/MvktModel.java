package dev.mvkt.core;

import dev.mvkt.api.Evaluation;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.EcgNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What every trained mvkt model offers: evaluation, saving, provenance and a copy of its network. */
public abstract sealed class MvktModel permits Teacher, Student {
    final TrainedModel model;
    private volatile EcgNetwork inference;

    MvktModel(TrainedModel model) {
        this.model = model;
    }

    /**
     * The network as inference uses it: folded once, on first use ({@link EcgNetwork#forInference()}). A trained
     * model's network no longer changes, so the snapshot stays valid.
     */
    EcgNetwork inferenceNetwork() {
        EcgNetwork n = inference;
        if (n == null) {
            synchronized (this) {
                n = inference;
                if (n == null) {
                    n = model.network().forInference();
                    inference = n;
                }
            }
        }
        return n;
    }

    /** Scores on {@code split} with the calibrated probabilities, at the class thresholds chosen on validation. */
    public Evaluation evaluate(Split split) {
        EcgNetwork net = inferenceNetwork();
        try {
            return model.evaluate(split, net);
        } finally {
            // Batch-sized buffers are not worth keeping for the single ECGs a kept model usually sees next.
            net.releaseInferenceBuffers();
        }
    }

    /**
     * Calibrated probabilities for every record of {@code split}, {@code [records][classes]}: {@code sigmoid(logit
     * / T)} with the class's {@link #temperatures() temperature}.
     */
    public double[][] probabilities(Split split) {
        return probabilities(logits(split));
    }

    /**
     * The raw logits for every record of {@code split}, {@code [records][classes]}, before calibration and sigmoid
     * ({@code sigmoid(logit)} are the uncalibrated probabilities).
     */
    public double[][] logits(Split split) {
        model.checkCompatible(split);
        EcgNetwork net = inferenceNetwork();
        try {
            return Predictor.logits(net, new Batches(split, model.leads(), model.standardizer()), split.size());
        } finally {
            net.releaseInferenceBuffers();
        }
    }

    /** The calibrated probabilities of {@link #logits(Split) logits} {@code [records][classes]}. */
    public double[][] probabilities(double[][] logits) {
        for (double[] row : logits) {
            if (row.length != model.labels().size()) {
                throw new IllegalArgumentException("a row of " + row.length + " logits for "
                        + model.labels().size() + " classes");
            }
        }
        return model.probabilities(logits);
    }

    /**
     * The per-class calibration temperatures T ({@link Calibration}), in {@link #labels()} order: 1 for every class
     * of an uncalibrated model or one saved before calibration existed.
     */
    public double[] temperatures() {
        return model.temperatures();
    }

    /** The backbone's pooled features for every record of {@code split} (for t-SNE and probing). */
    public float[][] features(Split split) {
        model.checkCompatible(split);
        EcgNetwork net = inferenceNetwork();
        try {
            return Predictor.features(net, new Batches(split, model.leads(), model.standardizer()), split.size());
        } finally {
            net.releaseInferenceBuffers();
        }
    }

    /** Writes the model to {@code path} atomically (a temporary file renamed when complete). */
    public void save(Path path) throws IOException {
        ModelFiles.write(model, path);
    }

    /**
     * Writes the model as an ONNX file, atomically: the folded inference graph with the input standardisation, the
     * calibration temperatures and the sigmoid inside, input {@code ecg [batch, leads(), samples]} in mV (any batch
     * and length), outputs {@code probabilities} (calibrated) and {@code logits} (raw) {@code [batch, classes]}, and
     * the leads, sampling rate, window length, labels, thresholds, temperatures and provenance as metadata
     * (docs/deployment.md). One window of {@code length} samples at the
     * training rate gives the probabilities {@code diagnose} gives for that window.
     *
     * @throws dev.mvkt.backbones.onnx.UnsupportedVertexException naming a vertex that cannot be exported (nothing is
     *                                                           written then)
     */
    public void exportOnnx(Path path) throws IOException {
        OnnxFiles.write(model, inferenceNetwork(), path);
    }

    /** Where the model came from: configurations, loss terms and weights, seed, data, versions. */
    public Provenance provenance() {
        return model.provenance();
    }

    /** The lead(s) the model reads, in input order. */
    public List<Lead> leads() {
        return model.leads();
    }

    public LabelSet labels() {
        return model.labels();
    }

    /** Sampling rate of the training data. */
    public double samplingRate() {
        return model.samplingRate();
    }

    /** The backbone's architecture name, e.g. {@code resnet1d_wang} (without copying the network). */
    public String architecture() {
        return model.network().architecture();
    }

    /**
     * A copy of the network (for inspection, benchmarking or fine-tuning elsewhere), made on each call: a trained
     * model does not change, so training the copy leaves this model and its inference snapshot as they were.
     */
    public EcgNetwork network() {
        return model.network().copy();
    }
}
