package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.EcgRecord;
import dev.mvkt.api.LabelSet;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.Backbones;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.datasets.SyntheticEcg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLECG-style pretraining (issue 13): label-free, saved with provenance, and a start for students. */
class PretrainingTest {
    private static final Backbone TINY = Backbones.resnet1dWangBuilder().optWidth(4).build();
    private static EcgDataset data;
    private static Pretrained pretrained;

    @BeforeAll
    static void pretrain() {
        data = SyntheticEcg.builder().optSeed(3).optSizes(24, 16, 16).build();
        pretrained = EcgNetwork.singleThreaded(() -> tiny().trainOn(data.train()));
    }

    private static Pretrainer tiny() {
        return Mvkt.pretrain(TINY).optLead(Lead.I).optEpochs(2).optBatchSize(8).optSeed(5)
                .optListener(ConsoleProgress.silent());
    }

    /** The same records with other labels: what pretraining learns must not change. */
    private static Split relabelled(Split s) {
        return new Split() {
            @Override
            public int size() {
                return s.size();
            }

            @Override
            public EcgRecord record(int index) {
                EcgRecord r = s.record(index);
                float[] other = new float[r.labels().length];
                other[index % other.length] = 1;
                return new EcgRecord(r.id(), r.signal(), r.samplingRate(), r.leads(), other);
            }

            @Override
            public List<Lead> leads() {
                return s.leads();
            }

            @Override
            public double samplingRate() {
                return s.samplingRate();
            }

            @Override
            public int length() {
                return s.length();
            }

            @Override
            public LabelSet labels() {
                return LabelSet.of("a", "b", "c");
            }

            @Override
            public float[] labels(int index) {
                throw new AssertionError("pretraining read the labels of record " + index);
            }
        };
    }

    @Test
    void learnsTheSameWhateverTheLabelsAndNeverReadsThem() {
        Pretrained other = EcgNetwork.singleThreaded(() -> tiny().trainOn(relabelled(data.train())));
        assertArrayEquals(pretrained.network().graph().params().toFloatVector(),
                other.network().graph().params().toFloatVector());
        assertEquals("false", pretrained.provenance().get("data.labelsRead"));
    }

    @Test
    void changesTheWeightsAndRecordsItsSettings() {
        EcgNetwork fresh = TINY.build(new dev.mvkt.backbones.NetworkSpec(1, 1, 5,
                new org.nd4j.linalg.learning.config.Adam(1e-3), 1e-4, dev.mvkt.backbones.DecayScope.ALL_PARAMETERS,
                dev.mvkt.backbones.EngineOptions.defaults()));
        assertNotEquals(fresh.graph().params(), pretrained.network().graph().params());
        Map<String, String> p = pretrained.provenance().entries();
        assertEquals("pretrained", p.get("stage"));
        assertEquals("2", p.get("pretraining.epochs"));
        assertEquals("24", p.get("data.records"));
        assertTrue(Double.isFinite(Double.parseDouble(p.get("pretraining.finalLoss"))), p.get("pretraining.finalLoss"));
        assertTrue(p.keySet().stream().anyMatch(k -> k.startsWith("augmentation")), p.keySet().toString());
        assertEquals(List.of(Lead.I), pretrained.leads());
    }

    @Test
    void savesAndLoadsWithProvenanceAndIsNotMistakenForAModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clecg.mvkt");
        pretrained.save(file);
        Pretrained back = Pretrained.load(file);
        assertEquals(pretrained.provenance().entries(), back.provenance().entries());
        float[][] a = pretrained.features(data.test());
        float[][] b = back.features(data.test());
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 1e-6f, "record " + i);
        }
        var e = assertThrows(ModelFormatException.class, () -> Student.load(file));
        assertTrue(e.getMessage().contains("pretrained"), e.getMessage());
        TinyModels.student().save(dir.resolve("student.mvkt"));
        var f = assertThrows(ModelFormatException.class, () -> Pretrained.load(dir.resolve("student.mvkt")));
        assertTrue(f.getMessage().contains("not a pretrained"), f.getMessage());
    }

    @Test
    void startsAStudentWithEveryBackboneArrayButNotTheHead() {
        EcgNetwork student = TINY.build(new dev.mvkt.backbones.NetworkSpec(1, 5, 9,
                new org.nd4j.linalg.learning.config.Adam(1e-3), 1e-4, dev.mvkt.backbones.DecayScope.ALL_PARAMETERS,
                dev.mvkt.backbones.EngineOptions.defaults()));
        Map<String, INDArray> before = new java.util.HashMap<>();
        student.graph().paramTable().forEach((k, v) -> before.put(k, v.dup()));
        int[] copied = StudentTrainer.copyMatching(pretrained.network(), student, true);
        Map<String, INDArray> source = pretrained.network().graph().paramTable();
        int head = 0;
        for (Map.Entry<String, INDArray> e : student.graph().paramTable().entrySet()) {
            if (StudentTrainer.isHead(e.getKey())) {
                head++;
                assertEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " must keep its random start");
            } else {
                assertEquals(source.get(e.getKey()), e.getValue(), e.getKey() + " must be the pretrained array");
            }
        }
        assertTrue(head > 0);
        assertEquals(copied[1] - head, copied[0]);

        Student s = Mvkt.student(TINY).optInitFrom(pretrained).optEpochs(1).optBatchSize(8)
                .optListener(ConsoleProgress.silent()).trainOn(data);
        assertTrue(s.provenance().get("student.init").startsWith("pretrained: " + copied[0] + " of " + copied[1]),
                s.provenance().get("student.init"));
        assertEquals(pretrained.provenance().get("created"), s.provenance().get("pretrained.created"));
    }

    @Test
    void refusesAnEncoderOfAnotherLeadOrBackboneOrTogetherWithTheTeachersWeights() {
        var lead = assertThrows(IllegalArgumentException.class, () -> Mvkt.student(TINY).optLead(Lead.II)
                .optInitFrom(pretrained).optEpochs(1).optListener(ConsoleProgress.silent()).trainOn(data));
        assertTrue(lead.getMessage().contains("leads [I]"), lead.getMessage());
        Backbone wider = Backbones.resnet1dWangBuilder().optWidth(8).build();
        var width = assertThrows(IllegalArgumentException.class, () -> Mvkt.student(wider).optInitFrom(pretrained)
                .optEpochs(1).optListener(ConsoleProgress.silent()).trainOn(data));
        assertTrue(width.getMessage().contains("pretrain the student's backbone"), width.getMessage());
        var both = assertThrows(IllegalArgumentException.class, () -> TinyModels.teacher().distillTo(TINY)
                .optInitFromTeacher(true).optInitFrom(pretrained).optEpochs(1)
                .optListener(ConsoleProgress.silent()).trainOn(TinyModels.data()));
        assertTrue(both.getMessage().contains("choose one"), both.getMessage());
    }

    @Test
    void refusesBadSettingsNamingThem() {
        var batch = assertThrows(IllegalArgumentException.class, () -> tiny().optBatchSize(1).trainOn(data.train()));
        assertTrue(batch.getMessage().contains("batchSize"), batch.getMessage());
        var temp = assertThrows(IllegalArgumentException.class, () -> tiny().optTemperature(0).trainOn(data.train()));
        assertTrue(temp.getMessage().contains("temperature"), temp.getMessage());
        var lead = assertThrows(IllegalArgumentException.class, () -> tiny().trainOn(
                dev.mvkt.datasets.EcgDatasets.leads(data, Lead.II).train()));
        assertTrue(lead.getMessage().contains("no lead I"), lead.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tiny().trainOn());
    }
}
