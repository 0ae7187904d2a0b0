package dev.mvkt.core;

import dev.mvkt.backbones.Backbone;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;

/** A trained multi-lead teacher. It stays frozen while students learn from it. */
public final class Teacher extends MvktModel {

    Teacher(TrainedModel model) {
        super(model);
    }

    /** Starts stage 2: a student of {@code studentBackbone} (which may differ from the teacher's). */
    public StudentTrainer distillTo(Backbone studentBackbone) {
        return new StudentTrainer(studentBackbone, this);
    }

    /**
     * Reads a teacher saved by {@link MvktModel#save}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws ModelFormatException              if the file is not an mvkt teacher, is damaged or edited, or a field is
     *                                           out of range; the message names the file and the entry or field
     * @throws IOException                       if reading fails; the message names the file
     */
    public static Teacher load(Path path) throws IOException {
        return new Teacher(ModelFiles.read(path, "teacher", null));
    }

    /**
     * As {@link #load(Path)}, and refuses the file unless its SHA-256 is {@code expectedSha256}: the hash of the
     * whole file's bytes, as {@code sha256sum} prints it, which pins one build of a model.
     *
     * @throws IllegalArgumentException if {@code expectedSha256} is not 64 hexadecimal digits
     */
    public static Teacher load(Path path, String expectedSha256) throws IOException {
        return new Teacher(ModelFiles.read(path, "teacher", ModelFiles.pinned(expectedSha256)));
    }

    /**
     * Reads a teacher from a URL, for example a classpath resource ({@code getClass().getResource("/model.mvkt")}),
     * with the checks of {@link #load(Path)}; errors name the URL. At most 2^30 bytes are read.
     */
    public static Teacher load(URL url) throws IOException {
        return new Teacher(ModelFiles.read(url, "teacher", null));
    }

    /** As {@link #load(URL)}, pinned to the whole file's SHA-256 as {@link #load(Path, String)}. */
    public static Teacher load(URL url, String expectedSha256) throws IOException {
        return new Teacher(ModelFiles.read(url, "teacher", ModelFiles.pinned(expectedSha256)));
    }

    /**
     * Reads a teacher from a stream, to its end (at most 2^30 bytes), with the checks of {@link #load(Path)}; errors
     * name "input stream". The stream is not closed.
     */
    public static Teacher load(InputStream in) throws IOException {
        return new Teacher(ModelFiles.read(in, "teacher", null));
    }

    /** As {@link #load(InputStream)}, pinned to the whole file's SHA-256 as {@link #load(Path, String)}. */
    public static Teacher load(InputStream in, String expectedSha256) throws IOException {
        return new Teacher(ModelFiles.read(in, "teacher", ModelFiles.pinned(expectedSha256)));
    }
}
