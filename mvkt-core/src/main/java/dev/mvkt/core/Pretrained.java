package dev.mvkt.core;

import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.EcgNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A backbone pretrained without labels ({@link Mvkt#pretrain}): its weights start a student
 * ({@link StudentTrainer#optInitFrom(Pretrained)}), which then learns its classes from labels and, when distilled,
 * from the teacher. It predicts nothing itself.
 *
 * <p>It is saved like any mvkt model (format, checksums, provenance; {@code kind=pretrained}). Its network has the
 * backbone's output layer with one placeholder class, {@code none}, because a network needs an output: that layer is
 * never trained (pretraining gives it no error) and {@code optInitFrom} never copies it.
 */
public final class Pretrained {
    /** The placeholder class of a pretrained encoder's output layer. */
    static final String PLACEHOLDER_CLASS = "none";

    final TrainedModel model;

    Pretrained(TrainedModel model) {
        if (!"pretrained".equals(model.kind())) {
            throw new IllegalArgumentException("not a pretrained encoder: " + model.kind());
        }
        this.model = model;
    }

    /** The lead(s) the encoder was pretrained on, in input order; a student it starts must read the same. */
    public List<Lead> leads() {
        return model.leads();
    }

    /** Sampling rate of the pretraining records. */
    public double samplingRate() {
        return model.samplingRate();
    }

    /** The backbone's architecture name, e.g. {@code resnet1d_wang}. */
    public String architecture() {
        return model.network().architecture();
    }

    /** The backbone's configuration (width, kernel sizes, ...), which a student it starts must share. */
    public java.util.Map<String, Object> backboneConfig() {
        return model.network().config();
    }

    /** Pretraining settings, augmentations, data, seed, versions and engine. */
    public Provenance provenance() {
        return model.provenance();
    }

    /** The backbone's pooled features for every record of {@code split} (for probing what pretraining learnt). */
    public float[][] features(Split split) {
        if (split.samplingRate() != model.samplingRate()) {
            throw new IllegalArgumentException("the encoder was pretrained at " + model.samplingRate()
                    + " Hz but the data is at " + split.samplingRate() + " Hz");
        }
        EcgNetwork net = model.network().forInference();
        try {
            return Predictor.features(net, new Batches(split, model.leads(), model.standardizer()), split.size());
        } finally {
            net.releaseInferenceBuffers();
        }
    }

    /** The network itself, for copying from; not to be changed. */
    EcgNetwork network() {
        return model.network();
    }

    /** Writes the encoder to {@code path} atomically (a temporary file renamed when complete). */
    public void save(Path path) throws IOException {
        ModelFiles.write(model, path);
    }

    /**
     * Reads an encoder saved by {@link #save}, with the checks of {@link Student#load(Path)}.
     *
     * @throws ModelFormatException if the file is not a pretrained mvkt encoder, is damaged or edited
     */
    public static Pretrained load(Path path) throws IOException {
        return new Pretrained(ModelFiles.read(path, "pretrained", null));
    }

    /** As {@link #load(Path)}, refused unless the whole file's SHA-256 is {@code expectedSha256}. */
    public static Pretrained load(Path path, String expectedSha256) throws IOException {
        return new Pretrained(ModelFiles.read(path, "pretrained", ModelFiles.pinned(expectedSha256)));
    }
}
