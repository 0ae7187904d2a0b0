package dev.mvkt.samples.cli;

import dev.mvkt.core.AtomicFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.mvkt.api.EpochReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's per-epoch reports as a JSON file, written atomically. Kept beside the model's checkpoints and rewritten
 * after every epoch, so that a run resumed from a checkpoint still reports (and plots) the epochs an earlier process
 * trained. A validation AUC that is undefined (NaN) is written as {@code NaN} and read back as such.
 */
final class EpochHistory {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private EpochHistory() {
    }

    /** The reports in {@code file}, or none when there is no file. */
    static List<EpochReport> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<EpochReport> h = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<List<EpochReport>>() { }.getType());
            return h == null ? List.of() : new ArrayList<>(h);
        } catch (JsonParseException e) {
            throw new IOException(file + ": not an epoch history (" + e.getMessage() + ")", e);
        }
    }

    static void write(Path file, List<EpochReport> history) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(history));
    }
}
