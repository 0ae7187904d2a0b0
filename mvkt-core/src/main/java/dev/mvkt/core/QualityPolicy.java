package dev.mvkt.core;

import dev.mvkt.api.SignalQuality;

/**
 * What {@link Student#diagnose} does with the {@link QualityGate}'s verdict. Every policy runs the check and puts its
 * verdict into the {@link dev.mvkt.api.Diagnosis}; they differ in when the model declines to score.
 */
public enum QualityPolicy {
    /** Abstain on an unusable recording, score the rest (the default). */
    ABSTAIN_WHEN_UNUSABLE,
    /** Abstain unless the recording is OK: for settings that would rather ask for a new recording. */
    ABSTAIN_WHEN_QUESTIONABLE,
    /** Always score and only report the verdict (for research on corrupted signals; the findings may be nonsense). */
    REPORT_ONLY;

    /** Whether a recording with this quality is left unscored. */
    public boolean abstains(SignalQuality quality) {
        return switch (this) {
            case ABSTAIN_WHEN_UNUSABLE -> quality.verdict() == SignalQuality.Verdict.UNUSABLE;
            case ABSTAIN_WHEN_QUESTIONABLE -> quality.verdict() != SignalQuality.Verdict.OK;
            case REPORT_ONLY -> false;
        };
    }
}
