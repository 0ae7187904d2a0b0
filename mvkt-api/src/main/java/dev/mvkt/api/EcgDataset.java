package dev.mvkt.api;

/**
 * A labelled ECG dataset with fixed train, validation and test splits.
 *
 * <p>Implementations: the embedded synthetic generator, and loaders for PTB-XL, CPSC2018 and CinC records. Every
 * training and evaluation path in mvkt works on any implementation unchanged.
 */
public interface EcgDataset {

    /** The split with that name. */
    Split split(SplitName name);

    /** A stable, human-readable description of exactly which data this is (source, version, task, settings). */
    String identity();

    default Split train() {
        return split(SplitName.TRAIN);
    }

    default Split val() {
        return split(SplitName.VAL);
    }

    default Split test() {
        return split(SplitName.TEST);
    }

    default LabelSet labels() {
        return train().labels();
    }
}
