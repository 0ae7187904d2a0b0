package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Provenance;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.losses.Losses;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Stage 2: trains a student that reads one lead (default lead I) or a lead subset. From
 * {@link Teacher#distillTo(Backbone)} the default loss is MVKT's {@code BCE + 1·MKD + 0.8·CLT} and the frozen
 * teacher supplies logits and features; from {@link Mvkt#student(Backbone)} there is no teacher and the default
 * loss is BCE, the single-lead baseline.
 */
public final class StudentTrainer extends TrainingBuilder<StudentTrainer> {
    private final Teacher teacher;
    private List<Lead> leads = List.of(Lead.I);
    private boolean initFromTeacher;
    private Pretrained pretrained;

    StudentTrainer(Backbone backbone, Teacher teacher) {
        super(backbone);
        this.teacher = teacher;
    }

    /** The single lead the student reads (default I). */
    public StudentTrainer optLead(Lead lead) {
        if (lead == null) {
            throw new IllegalArgumentException("lead is null");
        }
        this.leads = List.of(lead);
        return this;
    }

    /** A lead subset the student reads. */
    public StudentTrainer optLeads(List<Lead> leads) {
        if (leads == null || leads.isEmpty()) {
            throw new IllegalArgumentException("leads must name at least one lead, was " + leads);
        }
        this.leads = List.copyOf(leads);
        return this;
    }

    /**
     * Starts the student from the teacher's trained weights wherever a parameter array has the same name and shape
     * in both networks (method.md: the teacher "instantiates" the student), and from random weights elsewhere: with
     * the same backbone, everything but the first convolution, which reads fewer leads. Default false (random), as
     * the paper's code. Only for students of {@link Teacher#distillTo}.
     */
    public StudentTrainer optInitFromTeacher(boolean initFromTeacher) {
        this.initFromTeacher = initFromTeacher;
        return this;
    }

    /**
     * Starts the student from a {@linkplain Mvkt#pretrain pretrained} backbone: every parameter array of the backbone
     * (the layers before the classification head) is copied, the head starts at random. The encoder must have the
     * student's architecture, backbone configuration and leads, and the data's sampling rate. Not together with
     * {@link #optInitFromTeacher}.
     */
    public StudentTrainer optInitFrom(Pretrained pretrained) {
        this.pretrained = java.util.Objects.requireNonNull(pretrained, "pretrained");
        return this;
    }

    @Override
    String initialisation() {
        if (pretrained != null) {
            // Which encoder, for checkpoint matching: its creation time and its final pretraining loss.
            return "pretrained " + pretrained.provenance().get("created") + " "
                    + pretrained.provenance().get("pretraining.finalLoss");
        }
        return initFromTeacher ? "teacher" : "random";
    }

    /**
     * Trains, keeps the epoch with the best validation macro AUC, then calibrates the probabilities and sets the
     * class thresholds on validation.
     */
    public Student trainOn(EcgDataset data) {
        validate(data);
        if (loss == null) {
            loss = teacher == null ? Losses.bce()
                    : Losses.bce().plus(Losses.mkd().weight(1.0)).plus(Losses.clt().weight(0.8));
        }
        Split train = data.train();
        EcgNetwork teacherNet = null;
        Batches teacherInput = null;
        Standardizer std;
        if (teacher != null) {
            TrainedModel t = teacher.model;
            t.checkCompatible(train);
            // The student inherits the teacher's standardisation, so both see the lead on the same scale.
            std = t.standardizer();
            // Frozen in inference mode, so its folded snapshot gives the same outputs, faster.
            teacherNet = teacher.inferenceNetwork().withEngineOptions(engine);
            teacherInput = new Batches(train, t.leads(), std);
        } else {
            std = Standardizer.fitOrNone(train, standardize);
        }
        if (initFromTeacher && teacher == null) {
            throw new IllegalArgumentException("optInitFromTeacher needs a teacher: start the student with "
                    + "teacher.distillTo(backbone)");
        }
        if (pretrained != null) {
            if (initFromTeacher) {
                throw new IllegalArgumentException("optInitFrom(pretrained) and optInitFromTeacher(true) both say "
                        + "how the student starts; choose one");
            }
            checkPretrained(train);
        }
        EcgNetwork net = buildNetwork(leads.size(), data.labels().size());
        int[] copied = initFromTeacher ? copyMatching(teacher.model.network(), net, false)
                : pretrained != null ? copyMatching(pretrained.network(), net, true) : null;
        Trainer.Result r;
        try {
            r = new Trainer("student", net, new Batches(train, leads, std), train, data.val(),
                    new Batches(data.val(), leads, std), loss, loss.needsTeacher() ? teacherNet : null,
                    loss.needsTeacher() ? teacherInput : null, options()).run();
        } finally {
            if (teacherNet != null) {
                teacherNet.releaseInferenceBuffers(); // the teacher's batch buffers, not needed after training
            }
        }
        Provenance.Builder prov = provenance("student", data, r).put("leads", leads)
                .put("standardize.mean", std.mean()).put("standardize.std", std.std());
        prov.put("student.init", copied == null ? "random" : (pretrained != null ? "pretrained: " : "teacher: ")
                + copied[0] + " of " + copied[1] + " parameter arrays copied (same name and shape"
                + (pretrained != null ? ", backbone only" : "") + ")");
        if (pretrained != null) {
            prov.putAll("pretrained", pretrained.provenance());
        }
        if (teacher != null) {
            prov.putAll("teacher", teacher.provenance());
        }
        return new Student(new TrainedModel("student", net, leads, data.labels(), r.validation().thresholds(), std,
                train.samplingRate(), train.length(), prov.build(), r.temperatures()));
    }

    private void checkPretrained(Split train) {
        String arch = pretrained.architecture();
        String have = Trainer.sorted(stringValues(pretrained.backboneConfig()));
        String want = Trainer.sorted(stringValues(backbone.config()));
        if (!arch.equals(backbone.name()) || !have.equals(want)) {
            throw new IllegalArgumentException("the pretrained encoder is " + arch + " " + have + " but the student "
                    + "is " + backbone.name() + " " + want + "; pretrain the student's backbone");
        }
        if (!pretrained.leads().equals(leads)) {
            throw new IllegalArgumentException("the pretrained encoder reads leads " + pretrained.leads()
                    + " but the student reads " + leads + "; pretrain on the student's leads");
        }
        if (pretrained.samplingRate() != train.samplingRate()) {
            throw new IllegalArgumentException("the pretrained encoder was trained at " + pretrained.samplingRate()
                    + " Hz but the data is at " + train.samplingRate() + " Hz");
        }
    }

    /** A configuration's values as text, as a saved model reads them back. */
    private static Map<String, Object> stringValues(Map<String, Object> config) {
        Map<String, Object> m = new java.util.TreeMap<>();
        config.forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    /**
     * Copies every parameter array of {@code from} into {@code to} where both have one of that name and shape (DL4J
     * keeps batch-norm running statistics among them), leaving out the classification head's when
     * {@code backboneOnly}, and returns {copied, arrays of {@code to}}.
     */
    static int[] copyMatching(EcgNetwork from, EcgNetwork to, boolean backboneOnly) {
        Map<String, INDArray> source = from.graph().paramTable();
        Map<String, INDArray> target = to.graph().paramTable();
        int copied = 0;
        for (Map.Entry<String, INDArray> e : target.entrySet()) {
            if (backboneOnly && isHead(e.getKey())) {
                continue;
            }
            INDArray src = source.get(e.getKey());
            if (src != null && Arrays.equals(src.shape(), e.getValue().shape())) {
                e.getValue().assign(src);
                copied++;
            }
        }
        return new int[]{copied, target.size()};
    }

    /** Whether a parameter belongs to the classification head ({@code GraphParts}: the head_* layers and logits). */
    static boolean isHead(String param) {
        return param.startsWith("head_") || param.startsWith("logits_");
    }
}
