package dev.mvkt.core;

/** A file is not a readable mvkt model; the message names the file and what is wrong with it. */
public final class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
