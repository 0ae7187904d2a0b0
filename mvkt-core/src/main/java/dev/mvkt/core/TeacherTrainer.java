package dev.mvkt.core;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.api.Lead;
import dev.mvkt.api.Split;
import dev.mvkt.backbones.Backbone;
import dev.mvkt.backbones.EcgNetwork;
import dev.mvkt.losses.Losses;

import java.util.List;

/**
 * Stage 1: trains a teacher on all leads of the data (or {@link #optLeads chosen ones}) with BCE.
 * Start with {@link Mvkt#teacher(Backbone)}.
 */
public final class TeacherTrainer extends TrainingBuilder<TeacherTrainer> {
    private List<Lead> leads;

    TeacherTrainer(Backbone backbone) {
        super(backbone);
    }

    /** The leads the teacher reads (default: every lead of the data, usually the standard 12). */
    public TeacherTrainer optLeads(List<Lead> leads) {
        if (leads == null || leads.isEmpty()) {
            throw new IllegalArgumentException("leads must name at least one lead, was " + leads);
        }
        this.leads = List.copyOf(leads);
        return this;
    }

    /**
     * Trains, keeps the epoch with the best validation macro AUC, then calibrates the probabilities and sets the
     * class thresholds on validation.
     */
    public Teacher trainOn(EcgDataset data) {
        validate(data);
        if (loss == null) {
            loss = Losses.bce();
        }
        Split train = data.train();
        List<Lead> use = leads == null ? train.leads() : leads;
        Standardizer std = Standardizer.fitOrNone(train, standardize);
        EcgNetwork net = buildNetwork(use.size(), data.labels().size());
        Trainer.Result r = new Trainer("teacher", net, new Batches(train, use, std), train, data.val(),
                new Batches(data.val(), use, std), loss, null, null, options()).run();
        var prov = provenance("teacher", data, r).put("leads", Lead.STANDARD_12.equals(use) ? "all 12" : use)
                .put("standardize.mean", std.mean()).put("standardize.std", std.std()).build();
        return new Teacher(new TrainedModel("teacher", net, use, data.labels(), r.validation().thresholds(), std,
                train.samplingRate(), train.length(), prov, r.temperatures()));
    }
}
