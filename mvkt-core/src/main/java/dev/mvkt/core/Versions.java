package dev.mvkt.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Library versions recorded in provenance; filled in by the Maven build so they cannot drift from the POM. */
final class Versions {
    private static final Properties P = load();

    private Versions() {
    }

    static String mvkt() {
        return P.getProperty("mvkt", "unknown");
    }

    static String dl4j() {
        return P.getProperty("dl4j", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
