package dev.mvkt.core;

import java.util.Arrays;

/**
 * How the learning rate changes over epochs: a factor on the base rate ({@link TrainingBuilder#optLearningRate}) for
 * each epoch, counted from 0. It applies to the network's Adam and to CLT's projection heads alike.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The factor on the base learning rate during epoch {@code epoch} (0 for the first); positive and finite. */
    double factor(int epoch);

    /** A stable name for provenance and checkpoints; a lambda's default says only that it is custom. */
    default String name() {
        return "custom";
    }

    /** The same rate every epoch (the default). */
    static LearningRateSchedule constant() {
        return Schedules.Constant.INSTANCE;
    }

    /**
     * Linear warm-up, then steps down: {@code factor(e) = step·(e + 1)} for {@code e < warmupEpochs}, then
     * {@code step·warmupEpochs·decay^k}, where {@code k} counts the milestones {@code ≤ e}.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    static LearningRateSchedule warmupThenSteps(int warmupEpochs, double step, double decay, int... milestones) {
        return new Schedules.WarmupSteps(warmupEpochs, step, decay, milestones.clone());
    }

    /**
     * Linear warm-up, then the base rate with steps down: {@code factor(e) = warmupStep·(e + 1)} for
     * {@code e < warmupEpochs}, then {@code decay^k}, where {@code k} counts the milestones {@code ≤ e}. Unlike
     * {@link #warmupThenSteps}, the steps apply to the base rate, not to the warm-up's last value.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    static LearningRateSchedule warmupThenBaseSteps(int warmupEpochs, double warmupStep, double decay,
            int... milestones) {
        return new Schedules.WarmupBaseSteps(warmupEpochs, warmupStep, decay, milestones.clone());
    }

    /**
     * The MVKT-ECG code's schedule (method.md), as factors on the base rate 1e-3: {@code lr = 1e-4·(epoch + 1)} for
     * epochs 0–14 (1e-4 … 1.5e-3), then the base rate 1e-3 from epoch 15, 1e-4 from epoch 40 and 1e-5 from epoch 70:
     * {@code warmupThenBaseSteps(15, 0.1, 0.1, 40, 70)}, so 0.1 → 1.5 over the warm-up, then 1, 0.1 and 0.01. Note
     * the drop from 1.5 to 1 at epoch 15. With another base rate the same factors apply to it.
     */
    static LearningRateSchedule paperCode() {
        return warmupThenBaseSteps(15, 0.1, 0.1, 40, 70);
    }
}

/** The built-in schedules, as values with stable names. */
final class Schedules {
    private Schedules() {
    }

    /** The ranges both warm-up schedules share, each named in the message. */
    static void check(int warmupEpochs, double step, double decay, int[] milestones) {
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warmupEpochs must be >= 0, was " + warmupEpochs);
        }
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("step must be positive and finite, was " + step);
        }
        if (!(decay > 0) || Double.isInfinite(decay)) {
            throw new IllegalArgumentException("decay must be positive and finite, was " + decay);
        }
        for (int m : milestones) {
            if (m < warmupEpochs) {
                throw new IllegalArgumentException("milestone " + m + " falls inside the " + warmupEpochs
                        + "-epoch warm-up");
            }
        }
    }

    static final class Constant implements LearningRateSchedule {
        static final Constant INSTANCE = new Constant();

        private Constant() {
        }

        @Override
        public double factor(int epoch) {
            return 1;
        }

        @Override
        public String name() {
            return "constant";
        }
    }

    record WarmupSteps(int warmupEpochs, double step, double decay, int[] milestones) implements LearningRateSchedule {
        WarmupSteps {
            check(warmupEpochs, step, decay, milestones);
        }

        @Override
        public double factor(int epoch) {
            if (epoch < warmupEpochs) {
                return step * (epoch + 1);
            }
            long passed = Arrays.stream(milestones).filter(m -> m <= epoch).count();
            return step * Math.max(warmupEpochs, 1) * Math.pow(decay, passed);
        }

        @Override
        public String name() {
            return "warmupThenSteps(" + warmupEpochs + ", " + step + ", " + decay + ", "
                    + Arrays.toString(milestones) + ")";
        }
    }

    record WarmupBaseSteps(int warmupEpochs, double warmupStep, double decay, int[] milestones)
            implements LearningRateSchedule {
        WarmupBaseSteps {
            check(warmupEpochs, warmupStep, decay, milestones);
        }

        @Override
        public double factor(int epoch) {
            if (epoch < warmupEpochs) {
                return warmupStep * (epoch + 1);
            }
            long passed = Arrays.stream(milestones).filter(m -> m <= epoch).count();
            return Math.pow(decay, passed);
        }

        @Override
        public String name() {
            return "warmupThenBaseSteps(" + warmupEpochs + ", " + warmupStep + ", " + decay + ", "
                    + Arrays.toString(milestones) + ")";
        }
    }
}
