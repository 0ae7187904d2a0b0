package dev.mvkt.losses;

import dev.mvkt.api.LossTerm;

/**
 * The loss terms of MVKT-ECG, combined by weight:
 * <pre>{@code
 *   LossTerm loss = Losses.bce().plus(Losses.mkd(1.5).weight(1.0)).plus(Losses.clt().weight(0.8));
 * }</pre>
 * Defaults are the paper's; the public code's variants are one argument away ({@link MkdForm#OFFICIAL_CODE},
 * {@link CltForm#NCE}, {@link NegativeSampling#DIFFERENT_FIRST_LABEL}).
 *
 * <p>Classic distillation terms, to compare MVKT with on the same student: {@link #kd()} (Hinton's, multi-label),
 * {@link #fitnet()} (feature regression), {@link #rkd()} (relational, distance and angle) and {@link #pkt()}
 * (probabilistic transfer). The last three work on the same 128-d projection-head embeddings as CLT, and treat the
 * teacher's as constants.
 *
 * <p>For label-free pretraining, {@link #ntXent()} gives SimCLR's NT-Xent between two augmented views of each record.
 */
public final class Losses {
    private Losses() {
    }

    /** Binary cross-entropy on logits, mean over batch and classes. */
    public static LossTerm bce() {
        return new BceLoss();
    }

    /** MKD in the paper's form with T = 1.5. */
    public static LossTerm mkd() {
        return mkd(MkdForm.PAPER);
    }

    /** MKD in the paper's form with temperature {@code temperature}. */
    public static LossTerm mkd(double temperature) {
        return mkd(temperature, MkdForm.PAPER);
    }

    /** MKD in {@code form} with that form's default temperature (paper 1.5, code 1). */
    public static LossTerm mkd(MkdForm form) {
        if (form == null) {
            throw new IllegalArgumentException("MKD form must not be null");
        }
        return mkd(form.defaultTemperature(), form);
    }

    /**
     * MKD in {@code form} with temperature {@code temperature}.
     *
     * @throws IllegalArgumentException when the temperature is not finite and positive, or form is null
     */
    public static LossTerm mkd(double temperature, MkdForm form) {
        return new MkdLoss(temperature, form);
    }

    /** CLT with the paper's settings: InfoNCE, D = 128, K = 1024, τ = 0.07, momentum 0.5, uniform negatives. */
    public static LossTerm clt() {
        return CltLoss.builder().build();
    }

    /** CLT with the builder's settings, e.g. {@code Losses.clt(CltLoss.builder().optForm(CltForm.NCE))}. */
    public static LossTerm clt(CltLoss.Builder builder) {
        if (builder == null) {
            throw new IllegalArgumentException("CLT builder must not be null");
        }
        return builder.build();
    }

    /** Multi-label KD (Hinton et al. 2015, one Bernoulli per class) with T = 4, the CRD benchmark's temperature. */
    public static LossTerm kd() {
        return kd(KdLoss.DEFAULT_TEMPERATURE);
    }

    /**
     * Multi-label KD with temperature {@code temperature} on the logits; see {@link KdLoss} for how it differs from
     * MKD.
     *
     * @throws IllegalArgumentException when the temperature is not finite and positive
     */
    public static LossTerm kd(double temperature) {
        return new KdLoss(temperature);
    }

    /** FitNets-style regression of the student's L2-normalised 128-d embedding onto the teacher's. */
    public static LossTerm fitnet() {
        return new FitnetLoss(CltLoss.DEFAULT_EMBEDDING_DIM);
    }

    /** RKD (Park et al. 2019) on the 128-d embeddings, distance weight 1 and angle weight 2, the paper's. */
    public static LossTerm rkd() {
        return rkd(RkdLoss.DEFAULT_DISTANCE_WEIGHT, RkdLoss.DEFAULT_ANGLE_WEIGHT);
    }

    /**
     * RKD with its own weights for the distance and the angle losses; 0 leaves one out.
     *
     * @throws IllegalArgumentException when a weight is negative or not finite, or both are 0
     */
    public static LossTerm rkd(double distanceWeight, double angleWeight) {
        return new RkdLoss(CltLoss.DEFAULT_EMBEDDING_DIM, distanceWeight, angleWeight);
    }

    /** PKT (Passalis and Tefas 2018): cosine-kernel neighbourhood distributions of the 128-d embeddings. */
    public static LossTerm pkt() {
        return new PktLoss(CltLoss.DEFAULT_EMBEDDING_DIM);
    }

    /**
     * NT-Xent for CLECG-style self-supervised pretraining with the SimCLR-style temperature 0.1 (the CLECG paper gives
     * no hyperparameters). Not a {@link LossTerm}: it compares two augmented views, not a student with labels or a
     * teacher.
     */
    public static NtXentLoss ntXent() {
        return ntXent(NtXentLoss.DEFAULT_TEMPERATURE);
    }

    /**
     * NT-Xent with temperature {@code temperature}.
     *
     * @throws IllegalArgumentException when the temperature is not finite and positive
     */
    public static NtXentLoss ntXent(double temperature) {
        return NtXentLoss.of(temperature);
    }
}
