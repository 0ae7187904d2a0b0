package dev.mvkt.api;

/** The three parts of every dataset. Model selection uses {@link #VAL}; {@link #TEST} is evaluated once, at the end. */
public enum SplitName {
    TRAIN, VAL, TEST
}
