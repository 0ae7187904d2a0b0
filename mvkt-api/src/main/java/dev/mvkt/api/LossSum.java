package dev.mvkt.api;

import com.google.common.collect.ImmutableList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A weighted sum of loss terms: {@code L = Σ w_k · L_k}; gradients add up with the same weights. */
final class LossSum implements LossTerm {
    private final ImmutableList<WeightedTerm> terms;

    LossSum(List<WeightedTerm> terms) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a loss needs at least one term");
        }
        this.terms = ImmutableList.copyOf(terms);
    }

    @Override
    public LossValue compute(LossInputs in) {
        double value = 0;
        double[][] dLogits = null;
        double[][] dS = null;
        double[][] dT = null;
        Map<String, Double> parts = new LinkedHashMap<>();
        for (WeightedTerm wt : terms) {
            if (wt.weight() == 0) {
                continue;
            }
            LossValue v = wt.term().compute(in);
            value += wt.weight() * v.value();
            dLogits = addScaled(dLogits, v.dStudentLogits(), wt.weight());
            dS = addScaled(dS, v.dStudentEmbedding(), wt.weight());
            dT = addScaled(dT, v.dTeacherEmbedding(), wt.weight());
            parts.putAll(v.parts());
        }
        return new LossValue(value, dLogits, dS, dT, parts);
    }

    private static double[][] addScaled(double[][] acc, double[][] g, double w) {
        if (g == null) {
            return acc;
        }
        if (acc == null) {
            acc = new double[g.length][g.length == 0 ? 0 : g[0].length];
        }
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g[i].length; j++) {
                acc[i][j] += w * g[i][j];
            }
        }
        return acc;
    }

    @Override
    public String name() {
        StringBuilder sb = new StringBuilder();
        for (WeightedTerm t : terms) {
            if (sb.length() > 0) {
                sb.append(" + ");
            }
            sb.append(t.weight() == 1.0 ? "" : fmt(t.weight()) + "·").append(t.term().name());
        }
        return sb.toString();
    }

    private static String fmt(double w) {
        return w == Math.rint(w) ? String.valueOf((long) w) : String.valueOf(w);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        for (WeightedTerm t : terms) {
            Map<String, Object> tc = new LinkedHashMap<>();
            tc.put("weight", t.weight());
            tc.putAll(t.term().config());
            c.put(t.term().name(), tc);
        }
        return c;
    }

    @Override
    public void prepare(LossContext context) {
        terms.forEach(t -> t.term().prepare(context));
    }

    @Override
    public void afterStep(LossInputs inputs) {
        terms.forEach(t -> t.term().afterStep(inputs));
    }

    @Override
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        for (WeightedTerm t : terms) {
            t.term().writeState(out);
        }
    }

    @Override
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        for (WeightedTerm t : terms) {
            t.term().readState(in);
        }
    }

    @Override
    public boolean needsTeacher() {
        return terms.stream().anyMatch(t -> t.weight() > 0 && t.term().needsTeacher());
    }

    @Override
    public int embeddingDim() {
        int dim = 0;
        for (WeightedTerm t : terms) {
            int d = t.weight() > 0 ? t.term().embeddingDim() : 0;
            if (d != 0 && dim != 0 && d != dim) {
                throw new IllegalStateException("loss terms need different embedding sizes: " + dim + " and " + d);
            }
            dim = Math.max(dim, d);
        }
        return dim;
    }

    @Override
    public List<WeightedTerm> terms() {
        return terms;
    }

    @Override
    public String toString() {
        return name();
    }
}
