/**
 * The MVKT-ECG loss terms (BCE, MKD and CLT), and classic distillation terms to compare them with (multi-label KD,
 * FitNets-style feature regression, RKD, PKT), on plain {@code double} arrays, built through {@link
 * dev.mvkt.losses.Losses}; and NT-Xent ({@link dev.mvkt.losses.NtXentLoss}) for label-free contrastive pretraining.
 *
 * <p>They live apart from any deep-learning engine so that every formula of the method (see
 * {@code docs/method.md}) can be checked exactly: each term returns its own analytic gradient, and the tests compare it
 * with central finite differences in double precision. An engine adapter only has to copy activations in and
 * gradients out.
 *
 * <p>Where the paper and its public code disagree, both are offered and the paper's form is the default
 * ({@link dev.mvkt.losses.MkdForm}, {@link dev.mvkt.losses.CltForm}, {@link dev.mvkt.losses.NegativeSampling}), so
 * that results can be compared with either without touching the code.
 */
package dev.mvkt.losses;
