/**
 * Training and using MVKT models: {@link dev.mvkt.core.Mvkt} starts a {@link dev.mvkt.core.Teacher} (stage 1, BCE on
 * all leads), whose {@code distillTo} trains a {@link dev.mvkt.core.Student} (stage 2, one lead, BCE + MKD + CLT
 * against the frozen teacher). Students evaluate, save, load and diagnose recordings at any sampling rate from 50 to
 * 10000 Hz, after a {@link dev.mvkt.core.QualityGate signal-quality check} that can make them abstain; their
 * probabilities are calibrated on validation ({@link dev.mvkt.core.Calibration}).
 *
 * <p>Both stages run through one loop that computes losses outside DL4J on plain arrays, so any
 * {@link dev.mvkt.api.LossTerm} combination trains without engine-specific code; model selection uses validation
 * only.
 *
 * <p>{@link dev.mvkt.core.EcgAugmentation} makes the random, label-free views of a signal that contrastive
 * (CLECG-style) pretraining compares.
 */
package dev.mvkt.core;
