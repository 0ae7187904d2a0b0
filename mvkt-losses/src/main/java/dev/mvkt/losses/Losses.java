package dev.mvkt.losses;

import dev.mvkt.api.LossTerm;

/**
 * The loss terms of MVKT-ECG, combined by weight:
 * <pre>{@code
 *   LossTerm loss = Losses.bce().plus(Losses.mkd(1.5).weight(1.0)).plus(Losses.clt().weight(0.8));
 * }</pre>
 * Defaults are the paper's; the public code's variants are one argument away ({@link MkdForm#OFFICIAL_CODE},
 * {@link CltForm#NCE}, {@link NegativeSampling#DIFFERENT_FIRST_LABEL}).
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
}
