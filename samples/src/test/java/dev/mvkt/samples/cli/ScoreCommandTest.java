package dev.mvkt.samples.cli;

import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.ConsoleProgress;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.datasets.Cinc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code mvkt score} on a local Spark master: the shared CinC and CPSC records scored with a tiny student trained on
 * the CinC records (so that their {@code # Dx} labels are in the model's classes and can be evaluated).
 */
class ScoreCommandTest {

    static Path sharedSamples() {
        List<Path> candidates = new ArrayList<>();
        String p = System.getProperty("mvkt.shared");
        if (p != null) {
            candidates.add(Path.of(p));
        }
        candidates.add(Path.of("..", "shared"));
        candidates.add(Path.of("..", "..", "shared"));
        for (Path c : candidates) {
            Path d = c.resolve("data").resolve("ecg-samples");
            if (Files.isDirectory(d.resolve("cinc2021"))) {
                return d.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    @Test
    void scoresTheSharedRecordsAndEvaluatesTheLabelledOnes(@TempDir Path dir) throws Exception {
        Path samples = sharedSamples();
        assumeTrue(samples != null, "../shared/data not found: mvkt score on the shared records skipped");
        Cinc cinc = Cinc.builder().setRoot(samples.resolve("cinc2021")).optSamplingRate(100).optLength(1000)
                .optCacheDir(dir.resolve("cache")).build();
        Student s = Mvkt.student(Backbones.resnet1dWangBuilder().optWidth(4).build()).optLead(Lead.II).optEpochs(1)
                .optBatchSize(16).optListener(ConsoleProgress.silent()).trainOn(cinc);
        Path model = dir.resolve("student.mvkt");
        s.save(model);
        Path out = dir.resolve("scores.parquet");
        Path eval = dir.resolve("eval.json");
        CliArgumentsTest.Outcome o = CliArgumentsTest.run("score", "--model", model.toString(), "--input",
                samples.toString(), "--output", out.toString(), "--master", "local[2]", "--evaluation",
                eval.toString());
        assertEquals(0, o.code(), o.err());
        // Lead II of JS20006 is unusable (mains interference buries its QRS complexes): an abstention, not evaluated.
        assertTrue(o.out().contains("50 records: 49 scored, 1 abstained (signal quality), 0 failed"), o.out());
        assertTrue(o.out().contains("evaluation of 44 labelled records"), o.out());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "Spark committed the table");
        String json = Files.readString(eval);
        assertTrue(json.contains("\"records\": 44") && json.contains("\"macroAuc\"") && json.contains("\"AF\""),
                json);

        CliArgumentsTest.Outcome again = CliArgumentsTest.run("score", "--model", model.toString(), "--input",
                samples.toString(), "--output", out.toString(), "--master", "local[1]");
        assertEquals(1, again.code(), "the output exists: " + again.err());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void aMissingModelIsABadArgument(@TempDir Path dir) {
        CliArgumentsTest.Outcome o = CliArgumentsTest.run("score", "--model", dir.resolve("none.mvkt").toString(),
                "--input", dir.toString(), "--output", dir.resolve("o.parquet").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("none.mvkt"), o.err());
        CliArgumentsTest.Outcome policy = CliArgumentsTest.run("score", "--model", "m.mvkt", "--input",
                dir.toString(), "--output", dir.resolve("o.parquet").toString(), "--quality-policy", "SOMETIMES");
        assertEquals(2, policy.code(), policy.err());
        assertTrue(policy.err().contains("SOMETIMES"), policy.err());
    }
}
