package dev.mvkt.samples.cli;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Lead;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.core.Mvkt;
import dev.mvkt.core.Student;
import dev.mvkt.core.Teacher;
import dev.mvkt.datasets.SyntheticEcg;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mvkt export --model F --onnx out.onnx} writes an ONNX model of a saved student or teacher. */
class ExportCommandTest {

    @Test
    void exportsASavedStudentAndTeacher(@TempDir Path dir) throws Exception {
        EcgDataset data = SyntheticEcg.builder().optSeed(2).optSizes(24, 12, 12).build();
        Backbone tiny = Backbones.resnet1dWangBuilder().optWidth(2).build();
        Teacher teacher = Mvkt.teacher(tiny).optEpochs(1).optBatchSize(12).optSeed(1).trainOn(data);
        Student student = teacher.distillTo(tiny).optLead(Lead.II).optEpochs(1).optBatchSize(12).optSeed(1)
                .trainOn(data);
        teacher.save(dir.resolve("teacher.mvkt"));
        student.save(dir.resolve("student.mvkt"));

        for (String kind : new String[]{"student", "teacher"}) {
            Path onnx = dir.resolve("out").resolve(kind + ".onnx");
            CliArgumentsTest.Outcome o = CliArgumentsTest.run("export", "--model",
                    dir.resolve(kind + ".mvkt").toString(), "--onnx", onnx.toString());
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().startsWith("onnx: " + onnx) && o.out().contains("resnet1d_wang"), o.out());
            Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(onnx));
            assertEquals(13, model.getOpsetImport(0).getVersion());
            Map<String, String> meta = new HashMap<>();
            model.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
            assertEquals(kind, meta.get("kind"));
            assertEquals(kind.equals("student") ? "II" : String.join(",", Lead.STANDARD_12.stream()
                    .map(Lead::name).toList()), meta.get("leads"));
            assertEquals(String.valueOf(data.labels().size()), meta.get("classes"));
            assertEquals(kind, meta.get("provenance.stage"));
            long leads = model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue();
            assertEquals(kind.equals("student") ? 1 : 12, leads);
        }
    }

    @Test
    void badArgumentsAreOneLine(@TempDir Path dir) {
        CliArgumentsTest.Outcome missing = CliArgumentsTest.run("export", "--model", dir.resolve("none.mvkt")
                .toString(), "--onnx", dir.resolve("x.onnx").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("no such file"), missing.err());
        CliArgumentsTest.Outcome noTarget = CliArgumentsTest.run("export", "--model", "x.mvkt");
        assertEquals(2, noTarget.code(), noTarget.err());
        assertTrue(noTarget.err().contains("--onnx"), noTarget.err());
        assertTrue(CliArgumentsTest.run("export", "--help").out().contains("--onnx=FILE"));
    }
}
