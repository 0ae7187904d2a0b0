package dev.mvkt.samples.cli;

import dev.mvkt.api.LossTerm;
import dev.mvkt.backbones.DecayScope;
import dev.mvkt.core.Thresholds;
import dev.mvkt.core.TrainingBuilder;
import dev.mvkt.losses.CltForm;
import dev.mvkt.losses.CltLoss;
import dev.mvkt.losses.Losses;
import dev.mvkt.losses.MkdForm;
import dev.mvkt.losses.NegativeSampling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The effective training recipe of a run: a {@code --recipe} preset with every knob given on the command line put
 * over it. It builds the MVKT loss terms and configures each trainer, and its values go into the report, the
 * results and each model's provenance.
 *
 * <p>Presets (method.md): {@code paper}, the paper's description (MKD paper form T = 1.5, CLT InfoNCE, uniform
 * negatives, constant learning rate, thresholds chosen on validation, 10 epochs as mvkt's quick default);
 * {@code official-code}, the public code (MKD code form T = 1, CLT NCE with first-label negatives, the code's
 * warm-up and steps, thresholds 0.5, 100 epochs). Both: K = 1024, τ = 0.07, momentum 0.5, weight decay 1e-4 on
 * every parameter, standardisation on the training split.
 */
record Recipe(String name, int epochs, String lrSchedule, MkdForm mkdForm, double mkdTemperature, CltForm cltForm,
              int cltNegatives, double cltTemperature, double cltMomentum, NegativeSampling negativeSampling,
              Thresholds thresholds, boolean standardize, double weightDecay, DecayScope decayScope,
              boolean deterministic) {

    /** {@code --recipe} values. */
    static final List<String> PRESETS = List.of("paper", "official-code");

    /** The preset's values; {@link Knobs} then overrides what was given explicitly. */
    static Recipe preset(String name) {
        return switch (name) {
            case "paper" -> new Recipe(name, 10, "constant", MkdForm.PAPER, MkdForm.PAPER.defaultTemperature(),
                    CltForm.INFO_NCE, 1024, 0.07, 0.5, NegativeSampling.UNIFORM, Thresholds.VALIDATION_F1, true,
                    1e-4, DecayScope.ALL_PARAMETERS, false);
            case "official-code" -> new Recipe(name, 100, "paper-code", MkdForm.OFFICIAL_CODE,
                    MkdForm.OFFICIAL_CODE.defaultTemperature(), CltForm.NCE, 1024, 0.07, 0.5,
                    NegativeSampling.DIFFERENT_FIRST_LABEL, Thresholds.FIXED_HALF, true, 1e-4,
                    DecayScope.ALL_PARAMETERS, false);
            default -> throw new IllegalArgumentException("--recipe must be one of " + PRESETS + ", was " + name);
        };
    }

    /** The knobs as typed on the command line; null where not given, so the preset's value stands. */
    record Knobs(String recipe, Integer epochs, String lrSchedule, String mkdForm, Double mkdTemperature,
                 String cltForm, Integer cltNegatives, Double cltTemperature, Double cltMomentum,
                 String negativeSampling, String thresholds, String standardize, Double weightDecay,
                 String weightDecayScope, boolean deterministic) {

        /** @throws IllegalArgumentException naming the flag and its bad value */
        Recipe resolve() {
            Recipe p = preset(recipe == null ? "paper" : recipe);
            MkdForm mf = mkdForm == null ? p.mkdForm : parse("--mkd-form", mkdForm, Map.of("paper", MkdForm.PAPER,
                    "official-code", MkdForm.OFFICIAL_CODE));
            // A form given without a temperature takes that form's own default temperature.
            double mt = mkdTemperature != null ? mkdTemperature : mkdForm != null ? mf.defaultTemperature()
                    : p.mkdTemperature;
            Recipe r = new Recipe(p.name, epochs != null ? epochs : p.epochs,
                    lrSchedule != null ? lrSchedule : p.lrSchedule, mf, mt,
                    cltForm == null ? p.cltForm : parse("--clt-form", cltForm, Map.of("infonce", CltForm.INFO_NCE,
                            "nce", CltForm.NCE)),
                    cltNegatives != null ? cltNegatives : p.cltNegatives,
                    cltTemperature != null ? cltTemperature : p.cltTemperature,
                    cltMomentum != null ? cltMomentum : p.cltMomentum,
                    negativeSampling == null ? p.negativeSampling : parse("--negative-sampling", negativeSampling,
                            Map.of("uniform", NegativeSampling.UNIFORM, "first-label",
                                    NegativeSampling.DIFFERENT_FIRST_LABEL, "first-bit",
                                    NegativeSampling.DIFFERENT_FIRST_BIT)),
                    thresholds == null ? p.thresholds : parse("--thresholds", thresholds, Map.of("val",
                            Thresholds.VALIDATION_F1, "0.5", Thresholds.FIXED_HALF)),
                    standardize == null ? p.standardize : parse("--standardize", standardize, Map.of("train", true,
                            "none", false)),
                    weightDecay != null ? weightDecay : p.weightDecay,
                    weightDecayScope == null ? p.decayScope : parse("--weight-decay-scope", weightDecayScope,
                            Map.of("all", DecayScope.ALL_PARAMETERS, "weights", DecayScope.WEIGHTS_ONLY)),
                    deterministic || p.deterministic);
            r.validate();
            return r;
        }

        private static <T> T parse(String flag, String value, Map<String, T> choices) {
            T t = choices.get(value.trim().toLowerCase(Locale.ROOT));
            if (t == null) {
                throw new IllegalArgumentException(flag + " must be one of " + new java.util.TreeSet<>(
                        choices.keySet()) + ", was " + value);
            }
            return t;
        }
    }

    private void validate() {
        Options.positive("--epochs", epochs, 1);
        if (!Settings.SCHEDULES.contains(lrSchedule)) {
            throw new IllegalArgumentException("--lr-schedule must be one of " + Settings.SCHEDULES + ", was "
                    + lrSchedule);
        }
        positiveFinite("--mkd-temperature", mkdTemperature);
        Options.positive("--clt-negatives", cltNegatives, 1);
        positiveFinite("--clt-temperature", cltTemperature);
        if (!(cltMomentum >= 0 && cltMomentum <= 1)) {
            throw new IllegalArgumentException("--clt-momentum must be in [0, 1], was " + cltMomentum);
        }
        Options.weight("--weight-decay", weightDecay);
    }

    private static void positiveFinite(String flag, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(flag + " must be positive and finite, was " + v);
        }
    }

    /** BCE plus the weighted MKD and CLT terms of this recipe; a zero weight leaves its term out (and its cost). */
    LossTerm loss(double alpha, double beta) {
        LossTerm loss = Losses.bce();
        if (alpha > 0) {
            loss = loss.plus(Losses.mkd(mkdTemperature, mkdForm).weight(alpha));
        }
        if (beta > 0) {
            loss = loss.plus(Losses.clt(CltLoss.builder().optForm(cltForm).optNegatives(cltNegatives)
                    .optTemperature(cltTemperature).optMomentum(cltMomentum).optNegativeSampling(negativeSampling))
                    .weight(beta));
        }
        return loss;
    }

    /** The trainer settings this recipe owns (the loss is given separately). */
    <B extends TrainingBuilder<B>> B configure(B b) {
        return b.optWeightDecay(weightDecay).optWeightDecayScope(decayScope).optStandardize(standardize)
                .optThresholds(thresholds).optDeterministic(deterministic);
    }

    /** Every value, in a stable order, for the report, results.json and run matching. */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipe", name);
        m.put("epochs", epochs);
        m.put("lrSchedule", lrSchedule);
        m.put("mkdForm", mkdForm.name());
        m.put("mkdTemperature", mkdTemperature);
        m.put("cltForm", cltForm.name());
        m.put("cltNegatives", cltNegatives);
        m.put("cltTemperature", cltTemperature);
        m.put("cltMomentum", cltMomentum);
        m.put("negativeSampling", negativeSampling.name());
        m.put("thresholds", thresholds.name());
        m.put("standardize", standardize);
        m.put("weightDecay", weightDecay);
        m.put("weightDecayScope", decayScope.name());
        m.put("deterministic", deterministic);
        return m;
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        values().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }
}
