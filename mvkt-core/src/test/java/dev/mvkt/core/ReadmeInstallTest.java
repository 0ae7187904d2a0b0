package dev.mvkt.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Install" block is the dependency setup of {@code examples/consumer}, which the build compiles and runs
 * against the just-built jars: this fails when either changes without the other.
 */
class ReadmeInstallTest {

    @Test
    void readmeInstallBlockIsTheConsumersPom() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String readme = Files.readString(root.resolve("README.md"));
        List<String> pom = Files.readAllLines(root.resolve("examples/consumer/pom.xml"));
        List<String> block = new ArrayList<>();
        boolean in = false;
        for (String line : pom) {
            if (line.contains("<!-- README install end -->")) {
                in = false;
            }
            if (in) {
                // The POM indents the block under <project>; the README shows it from the left margin.
                assertTrue(line.isEmpty() || line.startsWith("  "), "unexpected indentation: " + line);
                block.add(line.isEmpty() ? line : line.substring(2));
            }
            if (line.contains("<!-- README install begin -->")) {
                in = true;
            }
        }
        assertTrue(block.size() > 10, "examples/consumer/pom.xml lost its README install markers");
        String xml = "```xml\n" + String.join("\n", block) + "\n```";
        assertTrue(readme.contains(xml), "README.md must contain, under Install, exactly:\n" + xml);
        assertEquals(1, readme.split("mvkt-bom</artifactId>\\s*<version>", -1).length - 1,
                "one BOM import in the README");
    }

    @Test
    void theBomTakesTheProjectVersionAndTheConsumerImportsThisVersion() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String bom = Files.readString(root.resolve("mvkt-bom/pom.xml"));
        String parent = Files.readString(root.resolve("pom.xml"));
        String consumer = Files.readString(root.resolve("examples/consumer/pom.xml"));
        String version = between(parent, "<artifactId>mvkt-parent</artifactId>", "<version>", "</version>");
        assertEquals(version, between(bom, "<artifactId>mvkt-bom</artifactId>", "<version>", "</version>"));
        assertEquals(version, between(consumer, "<artifactId>mvkt-bom</artifactId>", "<version>", "</version>"),
                "the consumer (and so the README) imports the BOM of this build");
        assertEquals(5, bom.split("<version>\\$\\{project.version}</version>", -1).length - 1,
                "the BOM's five mvkt entries take ${project.version}");
        String dl4j = between(parent, "<dl4j.version>", "", "</dl4j.version>");
        assertEquals(dl4j, between(bom, "<dl4j.version>", "", "</dl4j.version>"), "BOM and build pin the same DL4J");
    }

    private static String between(String text, String anchor, String open, String close) {
        int a = text.indexOf(anchor);
        assertTrue(a >= 0, "missing " + anchor);
        int s = text.indexOf(open, a + anchor.length()) + open.length();
        return text.substring(s, text.indexOf(close, s)).trim();
    }
}
