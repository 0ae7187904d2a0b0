package dev.mvkt.losses;

import dev.mvkt.api.LossContext;
import dev.mvkt.api.LossInputs;
import dev.mvkt.api.LossTerm;
import dev.mvkt.api.LossValue;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Contrastive lead-information transfer: the student's embedding of a record must pick out the teacher's memory of
 * the same record among K negatives, and vice versa, so the single-lead student learns what the 12-lead view knows.
 *
 * <p>Inputs are the raw projection-head outputs s, t ∈ R^D; this term normalises them itself, ŝ = s/‖s‖, so the
 * returned gradients reach the heads through the normalisation. Let M_S, M_T be the memory banks (one row per training
 * sample), J_i = {idx_i} ∪ negatives_i (K + 1 bank rows, the positive first), τ the temperature, B the batch size, and
 * the scores u_ij = ŝ_i·M_T[j]/τ for the student anchor, v_ij = t̂_i·M_S[j]/τ for the teacher anchor.
 * <ul>
 *   <li>{@link CltForm#INFO_NCE} (paper, default):
 *   <pre>
 *     L_S,i = −u_i,pos + log Σ_{j∈J_i} exp(u_ij)           (L_T,i likewise with v)
 *     CLT   = 1/B · Σ_i (L_S,i + L_T,i)
 *     ∂CLT/∂ŝ_i = 1/(Bτ) · Σ_j (softmax_j(u_i) − [j = pos]) · M_T[j]
 *   </pre></li>
 *   <li>{@link CltForm#NCE} (CRD code): P_ij = exp(u_ij)/Z_S, with Z_S = N·mean_{i,j} exp(u_ij) fixed from the first
 *   step (a separate Z_T for the teacher anchor, as in CRD), c = K/N (m·Pn), ε = 1e-7:
 *   <pre>
 *     L_S,i = −log(P_pos/(P_pos + c + ε)) − Σ_{j∈neg} log(c/(P_j + c + ε))
 *     CLT   = 1/B · Σ_i (L_S,i + L_T,i)
 *   </pre>
 *   evaluated in the log domain (log P = u − log Z), with Z a constant for the gradient.</li>
 * </ul>
 * After each step, {@link #afterStep} sets M_S[idx_i] ← normalize(m·M_S[idx_i] + (1−m)·ŝ_i) and M_T likewise with t̂_i.
 *
 * <p>Negatives are a pure function of (seed, step, bank row), so {@link #compute} has no side effects and can be
 * repeated for gradient checks; the step counter advances in {@link #afterStep}. Not thread-safe against a concurrent
 * {@code afterStep}.
 */
public final class CltLoss implements LossTerm {
    static final String NAME = "clt";
    public static final int DEFAULT_EMBEDDING_DIM = 128;
    public static final int DEFAULT_NEGATIVES = 1024;
    public static final double DEFAULT_TEMPERATURE = 0.07;
    public static final double DEFAULT_MOMENTUM = 0.5;
    /** CRD's constant in the NCE denominators. */
    static final double NCE_EPS = 1e-7;
    /** Below this norm a raw embedding is divided by the constant instead, as torch's F.normalize does. */
    static final double NORM_EPS = 1e-12;
    /** Multiply-adds (B·(K+1)·D) above which batch rows are processed in parallel. */
    private static final long PARALLEL_WORK = 1L << 18;

    private final int dim;
    private final int negatives;
    private final double temperature;
    private final double momentum;
    private final CltForm form;
    private final NegativeSampling sampling;

    // Training state, set by prepare().
    private MemoryBank studentBank;
    private MemoryBank teacherBank;
    private int trainSize;
    private long seed;
    private long step;
    private int[] firstLabel;
    /** The group of an unlabelled record, whose first label is unknown: it draws its negatives uniformly. */
    static final int UNKNOWN_GROUP = -2;
    /** For first-label sampling: pools[f + 1] = the samples whose group (first label or first bit) is not f. */
    private int[][] pools;
    private double logZStudent = Double.NaN;
    private double logZTeacher = Double.NaN;

    private CltLoss(Builder b) {
        this.dim = b.embeddingDim;
        this.negatives = b.negatives;
        this.temperature = b.temperature;
        this.momentum = b.momentum;
        this.form = b.form;
        this.sampling = b.sampling;
    }

    /** A builder with the paper's settings: D = 128, K = 1024, τ = 0.07, m = 0.5, InfoNCE, uniform negatives. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates fresh memory banks for {@code context.trainSize()} samples and resets the step counter and NCE's Z; a
     * second call starts over.
     *
     * @throws IllegalArgumentException when there are fewer than two training samples, or when first-label sampling
     *                                  lacks labels or some first label leaves no other sample to draw
     */
    @Override
    public void prepare(LossContext context) {
        int n = context.trainSize();
        if (n < 2) {
            throw new IllegalArgumentException("clt needs at least 2 training samples to draw negatives, trainSize was "
                    + n);
        }
        int[] fl = null;
        int[][] pl = null;
        if (sampling != NegativeSampling.UNIFORM) {
            fl = groups(context, n);
            pl = pools(fl);
        }
        this.trainSize = n;
        this.seed = context.seed();
        this.studentBank = new MemoryBank(n, dim, mix(seed, 0x5354_5544_454eL, 1));
        this.teacherBank = new MemoryBank(n, dim, mix(seed, 0x5445_4143_4845L, 2));
        this.firstLabel = fl;
        this.pools = pl;
        this.step = 0;
        this.logZStudent = Double.NaN;
        this.logZTeacher = Double.NaN;
    }

    /** The group of each training sample that its negatives must differ from, by the sampling rule. */
    private int[] groups(LossContext context, int n) {
        if (sampling == NegativeSampling.DIFFERENT_FIRST_LABEL && context.trainFirstLabels() != null) {
            int[] fl = context.trainFirstLabels().clone();
            for (int j = 0; j < n; j++) {
                if (fl[j] < -1) {
                    throw new IllegalArgumentException("clt: training sample " + j + " has first label " + fl[j]
                            + "; expected a class index or -1");
                }
            }
            return unknownWhereUnlabelled(fl, context);
        }
        float[][] labels = context.trainLabels();
        if (labels == null) {
            throw new IllegalArgumentException("clt negative sampling " + sampling + " needs trainLabels in the "
                    + "LossContext, but they were null");
        }
        int[] fl = new int[n];
        for (int j = 0; j < n; j++) {
            float[] row = labels[j];
            if (sampling == NegativeSampling.DIFFERENT_FIRST_BIT) {
                fl[j] = row != null && row.length > 0 && row[0] > 0.5f ? 1 : 0;
            } else {
                fl[j] = row == null ? -1 : dev.mvkt.api.Split.lowestPositive(row);
            }
        }
        return unknownWhereUnlabelled(fl, context);
    }

    /**
     * Unlabelled records ({@link LossContext#isLabelled}) have no known group: as anchors they draw negatives
     * uniformly from every other record, and they are eligible negatives of every labelled anchor (their group cannot
     * be told apart from the anchor's, as under uniform sampling).
     */
    private static int[] unknownWhereUnlabelled(int[] fl, LossContext context) {
        for (int j = 0; j < fl.length; j++) {
            if (!context.isLabelled(j)) {
                fl[j] = UNKNOWN_GROUP;
            }
        }
        return fl;
    }

    private static int[][] pools(int[] fl) {
        int maxLabel = -1;
        for (int f : fl) {
            maxLabel = Math.max(maxLabel, f);
        }
        int[] count = new int[maxLabel + 2];
        for (int f : fl) {
            if (f != UNKNOWN_GROUP) {
                count[f + 1]++;
            }
        }
        int[][] pools = new int[maxLabel + 2][];
        for (int f = -1; f <= maxLabel; f++) {
            if (count[f + 1] == 0) {
                continue;
            }
            int size = fl.length - count[f + 1];
            if (size == 0) {
                throw new IllegalArgumentException("clt first-label negative sampling has no negatives: all "
                        + fl.length + " training samples have first label " + f);
            }
            int[] pool = new int[size];
            int p = 0;
            for (int j = 0; j < fl.length; j++) {
                if (fl[j] != f) {
                    pool[p++] = j;
                }
            }
            pools[f + 1] = pool;
        }
        return pools;
    }

    @Override
    public LossValue compute(LossInputs in) {
        requirePrepared("compute");
        Batch batch = batch(in);
        int b = batch.size();
        int[][] neg = negativesOf(batch.idx);
        double lzS = Double.NaN;
        double lzT = Double.NaN;
        if (form == CltForm.NCE) {
            // Before Z is fixed (first step) it comes from this batch, as in CRD; a constant for the gradient.
            lzS = Double.isNaN(logZStudent) ? batchLogZ(batch.sHat, teacherBank, batch.idx, neg) : logZStudent;
            lzT = Double.isNaN(logZTeacher) ? batchLogZ(batch.tHat, studentBank, batch.idx, neg) : logZTeacher;
        }
        double zS = lzS;
        double zT = lzT;
        double[] rowLoss = new double[b];
        double[][] dS = new double[b][];
        double[][] dT = new double[b][];
        forRows(b, i -> {
            double[] gS = new double[dim];
            double[] gT = new double[dim];
            rowLoss[i] = anchor(batch.sHat[i], teacherBank, batch.idx[i], neg[i], zS, gS)
                    + anchor(batch.tHat[i], studentBank, batch.idx[i], neg[i], zT, gT);
            dS[i] = throughNormalisation(gS, batch.sHat[i], batch.sNorm[i], b);
            dT[i] = throughNormalisation(gT, batch.tHat[i], batch.tNorm[i], b);
        });
        double total = 0;
        for (double l : rowLoss) {
            total += l;
        }
        double value = total / b;
        return new LossValue(value, null, dS, dT, Map.of(NAME, value));
    }

    /**
     * Updates both banks at the batch's rows from the pre-step bank (the last duplicate of a row wins, as with CRD's
     * index_copy_), fixes NCE's Z on the first step, then advances the step counter that seeds the negatives.
     */
    @Override
    public void afterStep(LossInputs in) {
        requirePrepared("afterStep");
        Batch batch = batch(in);
        if (form == CltForm.NCE && Double.isNaN(logZStudent)) {
            int[][] neg = negativesOf(batch.idx);
            logZStudent = batchLogZ(batch.sHat, teacherBank, batch.idx, neg);
            logZTeacher = batchLogZ(batch.tHat, studentBank, batch.idx, neg);
        }
        int b = batch.size();
        double[][] newS = new double[b][];
        double[][] newT = new double[b][];
        for (int i = 0; i < b; i++) {
            newS[i] = studentBank.momentumUpdate(batch.idx[i], batch.sHat[i], momentum);
            newT[i] = teacherBank.momentumUpdate(batch.idx[i], batch.tHat[i], momentum);
        }
        for (int i = 0; i < b; i++) {
            studentBank.setRow(batch.idx[i], newS[i]);
            teacherBank.setRow(batch.idx[i], newT[i]);
        }
        step++;
    }

    /** Writes the banks, the step counter (negative sampling depends on it) and NCE's fixed normalisers. */
    @Override
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        requirePrepared("writeState");
        out.writeLong(step);
        out.writeDouble(logZStudent);
        out.writeDouble(logZTeacher);
        studentBank.write(out);
        teacherBank.write(out);
    }

    @Override
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        requirePrepared("readState");
        step = in.readLong();
        logZStudent = in.readDouble();
        logZTeacher = in.readDouble();
        studentBank.read(in);
        teacherBank.read(in);
    }

    private void requirePrepared(String what) {
        if (studentBank == null) {
            throw new IllegalStateException("clt " + what + " called before prepare(LossContext): the memory banks "
                    + "need the training split's size, so call prepare first");
        }
    }

    /** Validated, normalised embeddings of one batch. */
    private static final class Batch {
        final int[] idx;
        final double[][] sHat;
        final double[][] tHat;
        final double[] sNorm;
        final double[] tNorm;

        Batch(double[][] s, double[][] t, int[] idx) {
            this.idx = idx;
            int b = s.length;
            sHat = new double[b][];
            tHat = new double[b][];
            sNorm = new double[b];
            tNorm = new double[b];
            for (int i = 0; i < b; i++) {
                sNorm[i] = Numerics.norm(s[i]);
                tNorm[i] = Numerics.norm(t[i]);
                sHat[i] = scaled(s[i], 1.0 / Math.max(sNorm[i], NORM_EPS));
                tHat[i] = scaled(t[i], 1.0 / Math.max(tNorm[i], NORM_EPS));
            }
        }

        int size() {
            return idx.length;
        }

        private static double[] scaled(double[] x, double f) {
            double[] out = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                out[k] = x[k] * f;
            }
            return out;
        }
    }

    private Batch batch(LossInputs in) {
        int b = in.batchSize();
        if (b == 0) {
            throw new IllegalArgumentException("clt needs at least one row in the batch");
        }
        requireEmbedding("studentEmbedding", in.studentEmbedding(), b);
        requireEmbedding("teacherEmbedding", in.teacherEmbedding(), b);
        int[] idx = in.sampleIndices();
        if (idx == null) {
            throw new IllegalArgumentException("clt needs sampleIndices (memory bank rows), but they were null");
        }
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= trainSize) {
                throw new IllegalArgumentException("sampleIndices[" + i + "] = " + idx[i]
                        + " is outside the training split [0, " + trainSize + ")");
            }
        }
        return new Batch(in.studentEmbedding(), in.teacherEmbedding(), idx);
    }

    private void requireEmbedding(String field, double[][] e, int b) {
        if (e == null) {
            throw new IllegalArgumentException("clt needs " + field + ", but it was null");
        }
        Numerics.requireShape(field, e, b, dim);
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < dim; k++) {
                if (!Double.isFinite(e[i][k])) {
                    throw new IllegalArgumentException(field + "[" + i + "][" + k + "] is not finite: " + e[i][k]);
                }
            }
        }
    }

    private int[][] negativesOf(int[] idx) {
        int[][] neg = new int[idx.length][];
        long atStep = step;
        forRows(idx.length, i -> neg[i] = negatives(idx[i], atStep));
        return neg;
    }

    /**
     * The K negatives of bank row {@code idx} at step {@code atStep}. Without replacement (Floyd's algorithm, O(K))
     * when the pool holds at least K samples, else with replacement, as CRD's
     * {@code np.random.choice(..., replace=K > pool)}. Their order is irrelevant to both losses.
     */
    int[] negatives(int idx, long atStep) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, atStep, idx));
        int[] pool = sampling != NegativeSampling.UNIFORM && firstLabel[idx] != UNKNOWN_GROUP
                ? pools[firstLabel[idx] + 1] : null;
        int size = pool != null ? pool.length : trainSize - 1;
        int k = negatives;
        int[] pos = new int[k];
        if (size < k) {
            for (int r = 0; r < k; r++) {
                pos[r] = rnd.nextInt(size);
            }
        } else {
            IntSet chosen = new IntSet(k);
            int r = 0;
            for (int j = size - k; j < size; j++) {
                int x = rnd.nextInt(j + 1);
                if (!chosen.add(x)) {
                    chosen.add(j);
                    x = j;
                }
                pos[r++] = x;
            }
        }
        for (int r = 0; r < k; r++) {
            // UNIFORM: positions 0..N-2 skip the anchor's own row.
            pos[r] = pool != null ? pool[pos[r]] : (pos[r] < idx ? pos[r] : pos[r] + 1);
        }
        return pos;
    }

    /** Open-addressing set of non-negative ints, enough for Floyd's algorithm without boxing. */
    private static final class IntSet {
        private final int[] table;
        private final int mask;
        private final int shift;

        IntSet(int expected) {
            int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
            table = new int[cap];
            Arrays.fill(table, -1);
            mask = cap - 1;
            shift = Integer.numberOfLeadingZeros(cap) + 1;
        }

        /** Adds x; false when it was already there. */
        boolean add(int x) {
            int h = (x * 0x9E3779B9) >>> shift;
            while (table[h] != -1) {
                if (table[h] == x) {
                    return false;
                }
                h = (h + 1) & mask;
            }
            table[h] = x;
            return true;
        }
    }

    /** scores[i][0] for the positive, scores[i][1..K] for the negatives: anchor_i · bank[j] / τ. */
    private double[][] scores(double[][] anchors, MemoryBank bank, int[] idx, int[][] neg) {
        double[][] u = new double[idx.length][negatives + 1];
        forRows(idx.length, i -> {
            double[] a = anchors[i];
            u[i][0] = bank.dot(idx[i], a) / temperature;
            for (int r = 0; r < negatives; r++) {
                u[i][r + 1] = bank.dot(neg[i][r], a) / temperature;
            }
        });
        return u;
    }

    /**
     * L_i of one anchor â against {@code bank} rows {pos} ∪ neg, with τ·dL_i/dâ written to {@code g}. One pass over
     * the K + 1 rows, using each row for its score and its gradient share while it is in cache: the banks of a large
     * training split do not fit in cache, so the scattered row reads, not the arithmetic, set the cost.
     */
    private double anchor(double[] a, MemoryBank bank, int pos, int[] neg, double logZ, double[] g) {
        return form == CltForm.INFO_NCE ? infoNce(a, bank, pos, neg, g) : nce(a, bank, pos, neg, logZ, g);
    }

    /**
     * Online softmax: the running sum and the weighted row sum are rescaled whenever a larger score appears, so no
     * score array is needed. τ·dL/dâ = Σ_j softmax_j·M[j] − M[pos].
     */
    private double infoNce(double[] a, MemoryBank bank, int pos, int[] neg, double[] g) {
        double u0 = bank.dot(pos, a) / temperature;
        double max = u0;
        double sum = 1;
        bank.addScaledRowTo(pos, 1, g);
        for (int j : neg) {
            double u = bank.dot(j, a) / temperature;
            if (u > max) {
                double shrink = Math.exp(max - u);
                sum *= shrink;
                for (int k = 0; k < g.length; k++) {
                    g[k] *= shrink;
                }
                max = u;
            }
            double e = Math.exp(u - max);
            sum += e;
            bank.addScaledRowTo(j, e, g);
        }
        for (int k = 0; k < g.length; k++) {
            g[k] /= sum;
        }
        bank.addScaledRowTo(pos, -1, g);
        return max + Math.log(sum) - u0;
    }

    /**
     * NCE in the log domain with p = u − log Z and log c = log(K/N + ε):
     * −log D1 = logaddexp(p_pos, log c) − p_pos, with d/dp = −σ(log c − p_pos);
     * −log D0 = logaddexp(p_j, log c) − log(K/N), with d/dp = σ(p_j − log c).
     */
    private double nce(double[] a, MemoryBank bank, int pos, int[] neg, double logZ, double[] g) {
        double mPn = (double) negatives / trainSize;
        double logC = Math.log(mPn + NCE_EPS);
        double logMPn = Math.log(mPn);
        double p0 = bank.dot(pos, a) / temperature - logZ;
        double loss = Numerics.logAddExp(p0, logC) - p0;
        bank.addScaledRowTo(pos, -Numerics.sigmoid(logC - p0), g);
        for (int j : neg) {
            double p = bank.dot(j, a) / temperature - logZ;
            loss += Numerics.logAddExp(p, logC) - logMPn;
            bank.addScaledRowTo(j, Numerics.sigmoid(p - logC), g);
        }
        return loss;
    }

    /** log(N · mean_ij exp(u_ij)), CRD's Z, computed without overflow. */
    private double batchLogZ(double[][] anchors, MemoryBank bank, int[] idx, int[][] neg) {
        double[][] u = scores(anchors, bank, idx, neg);
        double max = Double.NEGATIVE_INFINITY;
        long count = 0;
        for (double[] row : u) {
            for (double x : row) {
                max = Math.max(max, x);
                count++;
            }
        }
        double sum = 0;
        for (double[] row : u) {
            for (double x : row) {
                sum += Math.exp(x - max);
            }
        }
        return max + Math.log(sum / count) + Math.log(trainSize);
    }

    /**
     * dCLT/d raw embedding from τ·dL_i/dâ: scale by 1/(Bτ) for the batch mean, then through â = a/‖a‖:
     * (g − â(â·g))/‖a‖, or g/ε where the norm was clamped.
     */
    private double[] throughNormalisation(double[] g, double[] hat, double norm, int b) {
        double scale = 1.0 / (b * temperature);
        if (norm > NORM_EPS) {
            double hg = 0;
            for (int k = 0; k < dim; k++) {
                hg += hat[k] * g[k];
            }
            for (int k = 0; k < dim; k++) {
                g[k] = scale * (g[k] - hat[k] * hg) / norm;
            }
        } else {
            for (int k = 0; k < dim; k++) {
                g[k] = scale * g[k] / NORM_EPS;
            }
        }
        return g;
    }

    /**
     * Runs {@code body} for each batch row, in parallel when the batch is big enough to repay the fork: rows are
     * independent and write only their own slots, so the result does not depend on the thread count.
     */
    private void forRows(int b, IntConsumer body) {
        if (b > 1 && (long) b * (negatives + 1) * dim >= PARALLEL_WORK) {
            IntStream.range(0, b).parallel().forEach(body);
        } else {
            for (int i = 0; i < b; i++) {
                body.accept(i);
            }
        }
    }

    private static long mix(long seed, long step, long row) {
        long h = mix64(seed ^ 0x9E3779B97F4A7C15L);
        h = mix64(h ^ (step * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
        return mix64(h ^ (row * 0xD6E8FEB86659FD93L + 0x27D4EB2F165667C5L));
    }

    /** SplitMix64's finaliser: neighbouring (step, row) pairs get unrelated streams. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("form", form.name());
        c.put("embeddingDim", dim);
        c.put("negatives", negatives);
        c.put("temperature", temperature);
        c.put("momentum", momentum);
        c.put("negativeSampling", sampling.name());
        return Collections.unmodifiableMap(c);
    }

    @Override
    public boolean needsTeacher() {
        return true;
    }

    @Override
    public int embeddingDim() {
        return dim;
    }

    @Override
    public String toString() {
        return NAME + config();
    }

    // Views for tests in this package.

    MemoryBank studentBank() {
        return studentBank;
    }

    MemoryBank teacherBank() {
        return teacherBank;
    }

    long step() {
        return step;
    }

    int trainSize() {
        return trainSize;
    }

    int[] firstLabels() {
        return firstLabel;
    }

    double logZStudent() {
        return logZStudent;
    }

    double logZTeacher() {
        return logZTeacher;
    }

    /** Settings for {@link CltLoss}; {@link #build()} checks them all and names the first bad one. */
    public static final class Builder {
        private int embeddingDim = DEFAULT_EMBEDDING_DIM;
        private int negatives = DEFAULT_NEGATIVES;
        private double temperature = DEFAULT_TEMPERATURE;
        private double momentum = DEFAULT_MOMENTUM;
        private CltForm form = CltForm.INFO_NCE;
        private NegativeSampling sampling = NegativeSampling.UNIFORM;

        private Builder() {
        }

        /** Size D of the projection heads' output (default 128). */
        public Builder optEmbeddingDim(int embeddingDim) {
            this.embeddingDim = embeddingDim;
            return this;
        }

        /** Number K of negatives per anchor (default 1024). */
        public Builder optNegatives(int negatives) {
            this.negatives = negatives;
            return this;
        }

        /** Temperature τ of the scores (default 0.07). */
        public Builder optTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Memory-bank momentum m ∈ [0, 1]: the weight kept by the old row (default 0.5). */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** INFO_NCE (paper, default) or NCE (code). */
        public Builder optForm(CltForm form) {
            this.form = form;
            return this;
        }

        /** UNIFORM (default), DIFFERENT_FIRST_LABEL (code, CPSC2018) or DIFFERENT_FIRST_BIT (code, PTB-XL). */
        public Builder optNegativeSampling(NegativeSampling sampling) {
            this.sampling = sampling;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting and its value when one is out of range */
        public CltLoss build() {
            if (embeddingDim <= 0) {
                throw new IllegalArgumentException("CLT embeddingDim must be positive, was " + embeddingDim);
            }
            if (negatives <= 0) {
                throw new IllegalArgumentException("CLT negatives (K) must be positive, was " + negatives);
            }
            Numerics.requireFinitePositive("CLT temperature", temperature);
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException("CLT momentum must be in [0, 1], was " + momentum);
            }
            if (form == null) {
                throw new IllegalArgumentException("CLT form must not be null, was null");
            }
            if (sampling == null) {
                throw new IllegalArgumentException("CLT negativeSampling must not be null, was null");
            }
            return new CltLoss(this);
        }
    }
}
