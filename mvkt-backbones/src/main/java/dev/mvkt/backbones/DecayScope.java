package dev.mvkt.backbones;

/** Which parameters L2 weight decay applies to. */
public enum DecayScope {
    /**
     * Every trained parameter, biases and batch-norm scale and shift included: what PyTorch's
     * {@code Adam(weight_decay=…)} does, and so what the MVKT-ECG and PTB-XL benchmark code trains with (default).
     * DL4J decays neither biases nor batch-norm parameters by itself; mvkt adds those terms in the training step.
     */
    ALL_PARAMETERS,
    /** Convolution and dense weights only, DL4J's own {@code l2(…)} (mvkt 0.1's behaviour). */
    WEIGHTS_ONLY
}
