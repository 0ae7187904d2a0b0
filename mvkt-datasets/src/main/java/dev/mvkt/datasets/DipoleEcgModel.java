package dev.mvkt.datasets;

import java.util.SplittableRandom;

/**
 * The cardiac-dipole model behind {@link SyntheticEcg}: a 3-D heart vector built from Gaussian-shaped wave
 * components, projected onto electrode lead vectors.
 *
 * <p>Body coordinates: x points to the patient's left, y inferior (feet), z anterior. Lead I is exactly the x axis,
 * so anything along y or z is invisible in it, and the limb leads have no z component, so anything along z is
 * invisible in all six of them. Generator v1 placed the localised findings along those axes, so lead I carried
 * almost nothing of them; v2 ({@link #sampleV2}) draws a direction per record from the spreads documented in
 * {@link SyntheticEcg}, so lead I carries a weak, variable trace, as in real ECGs.
 *
 * <p>Noise is added to electrode potentials, not to leads, and leads are then formed as electrode differences the
 * way an ECG amplifier does. That keeps Einthoven's and Goldberger's identities exact even in noisy records, as
 * they are in real recordings.
 */
final class DipoleEcgModel {

    static final int AFIB = 0;
    static final int STD_INF = 1;
    static final int TINV_ANT = 2;
    static final int CD = 3;
    static final int FINDINGS = 4;

    /** Chosen so each finding sits in 15–30 % and NORM near 40 %, like a screening population. */
    static final double[] PREVALENCE = {0.18, 0.25, 0.22, 0.20};

    private static final double SQRT3_2 = Math.sqrt(3) / 2;
    private static final double[] U_I = {1, 0, 0};
    private static final double[] U_II = {0.5, SQRT3_2, 0};
    /** Limb electrodes with the Wilson terminal at zero, so that L−R is lead I and F−R is lead II exactly. */
    private static final double[] A_R = {-(U_I[0] + U_II[0]) / 3, -(U_I[1] + U_II[1]) / 3, 0};
    private static final double[] A_L = {A_R[0] + U_I[0], A_R[1] + U_I[1], 0};
    private static final double[] A_F = {A_R[0] + U_II[0], A_R[1] + U_II[1], 0};
    /** V1–V6 angles in the horizontal plane, 0° = left, 90° = anterior. */
    private static final double[] CHEST_ANGLE_DEG = {115, 90, 75, 60, 30, 0};
    /** Chest electrodes sit closer to the heart than the limbs, so their leads are larger. */
    private static final double[] CHEST_GAIN = {1.1, 1.5, 1.5, 1.4, 1.2, 1.0};
    /** Chest electrodes lie slightly below the heart's centre. */
    private static final double CHEST_INFERIOR = 0.1;
    private static final double[][] CHEST = new double[6][];

    static {
        for (int i = 0; i < 6; i++) {
            double a = Math.toRadians(CHEST_ANGLE_DEG[i]);
            CHEST[i] = new double[] {CHEST_GAIN[i] * Math.cos(a), CHEST_GAIN[i] * CHEST_INFERIOR,
                    CHEST_GAIN[i] * Math.sin(a)};
        }
    }

    // Normal wave components in the heart's own frame (mV along each axis). The QRS loop runs septal
    // (right-anterior) → main left-inferior → posterior → terminal right-superior, which yields rS in V1,
    // a transition near V3/V4 and qR in V5/V6.
    private static final double[] P1 = {0.2 * 0.12, 0.7 * 0.12, 0.35 * 0.12};
    private static final double[] P2 = {0.6 * 0.12, 0.45 * 0.12, -0.3 * 0.12};
    private static final double[] Q = {-0.25 * 0.5, 0.1 * 0.5, 0.35 * 0.5};
    private static final double[] R = {0.75 * 1.5, 0.55 * 1.5, 0.1 * 1.5};
    private static final double[] R2 = {0.3 * 0.9, 0.3 * 0.9, -0.75 * 0.9};
    private static final double[] S = {-0.35 * 0.4, -0.3 * 0.4, -0.3 * 0.4};
    private static final double[] T = {0.55 * 0.3, 0.5 * 0.3, 0.45 * 0.3};
    /** RBBB's late right-ventricular activation: rightward and anterior (R′ in V1, slurred S in I and V6). */
    private static final double[] CD_TERMINAL = {-0.5, 0.05, 0.65};

    /** v1: how far the ST-depression vector may deviate rightward from straight superior. */
    static final double STD_MAX_DEVIATION_DEG = 25;

    // Generator v2's ranges; SyntheticEcg's class comment says why each is plausible.
    /** v2: the share of anterior T inversions that extend laterally (to I, aVL, V5, V6). */
    static final double TINV_LATERAL_SHARE = 0.5;
    /** v2: azimuth of the T-inversion vector from straight anterior towards the left, septal-anterior form. */
    static final double[] TINV_SEPTAL_AZIMUTH_DEG = {-15, 15};
    /** v2: the same, anterolateral form. */
    static final double[] TINV_LATERAL_AZIMUTH_DEG = {15, 60};
    /** v2: elevation of the T-inversion vector, negative superior (towards aVL), positive inferior. */
    static final double[] TINV_ELEVATION_DEG = {-20, 10};
    /** v2: the ST vector's frontal deviation from straight superior, either way (towards aVR or aVL). */
    static final double STD_V2_DEVIATION_DEG = 60;
    /** v2: the ST vector's anterior-posterior part, relative to its frontal part. */
    static final double STD_V2_ANTERIOR = 0.3;
    /** v2: azimuth of the terminal conduction-delay force from anterior towards the right (v1: 37.6°). */
    static final double[] CD_AZIMUTH_DEG = {20, 55};
    /** v2: its elevation either way. */
    static final double CD_ELEVATION_DEG = 15;
    /** Peak T-vector change of TINV_ANT at strength 1, mV (both versions). */
    static final double TINV_MV = 0.25;
    /** Peak ST-vector magnitude of STD_INF at strength 1, mV (both versions). */
    static final double STD_MV = 0.13;

    private DipoleEcgModel() {
    }

    /**
     * Everything random about one record, drawn up front so that a test can switch a single finding on or off and
     * re-render the otherwise identical record.
     *
     * @param findings  which of the {@link #FINDINGS} findings are present
     * @param strength  per finding, how pronounced it is, in (0, 1]; drawn even when absent so that toggling a
     *                  finding leaves every other draw unchanged
     */
    record Params(boolean[] findings, double[] strength, double[][] rotation, double meanRr, double rrCv,
                  double pacRate, double pr, double qtc, double qrsWidth, double qrsGain, double pGain, double tGain,
                  double[] tVariant, double[] stNormal, double stdAngle, double[] fibDir, double[] fibFreq,
                  double respRate, double respPhase, double emgSd, double wanderMv, double difficulty,
                  long rhythmSeed, long noiseSeed, FindingVectors vectors) {

        Params withFinding(int finding, boolean present) {
            boolean[] f = findings.clone();
            f[finding] = present;
            return new Params(f, strength, rotation, meanRr, rrCv, pacRate, pr, qtc, qrsWidth, qrsGain, pGain, tGain,
                    tVariant, stNormal, stdAngle, fibDir, fibFreq, respRate, respPhase, emgSd, wanderMv,
                    difficulty, rhythmSeed, noiseSeed, vectors);
        }

        Params withStrength(int finding, double s) {
            double[] st = strength.clone();
            st[finding] = s;
            return new Params(findings, st, rotation, meanRr, rrCv, pacRate, pr, qtc, qrsWidth, qrsGain, pGain, tGain,
                    tVariant, stNormal, stdAngle, fibDir, fibFreq, respRate, respPhase, emgSd, wanderMv,
                    difficulty, rhythmSeed, noiseSeed, vectors);
        }

        Params withVectors(FindingVectors v) {
            return new Params(findings, strength, rotation, meanRr, rrCv, pacRate, pr, qtc, qrsWidth, qrsGain, pGain,
                    tGain, tVariant, stNormal, stdAngle, fibDir, fibFreq, respRate, respPhase, emgSd, wanderMv,
                    difficulty, rhythmSeed, noiseSeed, v);
        }

        /** 1 or 2: which generator drew these parameters. */
        int version() {
            return vectors == null ? 1 : 2;
        }

        boolean any() {
            for (boolean b : findings) {
                if (b) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Generator v2's per-record finding directions. {@code tinv} (the direction along which T is pushed down)
     * and {@code std} (the ST vector's direction) are unit vectors in the body frame, because both labels are
     * defined by the leads that show them; {@code cd} (the terminal conduction-delay force, mV) is in the heart's
     * frame, because it follows the anatomy of the right bundle.
     */
    record FindingVectors(double[] tinv, double[] std, double[] cd) {
    }

    /**
     * Draws a record's parameters for generator v1; the number of draws never depends on their values. Its
     * findings are independent and their vectors fixed (see {@link SyntheticEcg}'s v1 description).
     */
    static Params sample(SplittableRandom rnd, double difficulty) {
        boolean[] findings = new boolean[FINDINGS];
        double[] strength = new double[FINDINGS];
        for (int k = 0; k < FINDINGS; k++) {
            findings[k] = rnd.nextDouble() < PREVALENCE[k];
            // Difficulty widens the strength range towards zero, so that at higher difficulty more positives
            // are subtle, some indistinguishable from normal variation: that is what keeps AUC below 1.
            strength[k] = 1 - difficulty * rnd.nextDouble();
        }
        return sampleRest(rnd, findings, strength, difficulty);
    }

    /**
     * Draws a record's parameters for generator v2: the same normal variation as v1, findings that may co-occur,
     * and a direction per record for each localised finding. Every range is in {@link SyntheticEcg}'s class
     * comment, with its reason. The number of draws never depends on their values.
     *
     * @param coOccurrence the probability that TINV_ANT copies STD_INF's uniform draw instead of its own, in [0, 1]
     */
    static Params sampleV2(SplittableRandom rnd, double difficulty, double coOccurrence) {
        boolean[] findings = new boolean[FINDINGS];
        double[] strength = new double[FINDINGS];
        double[] u = new double[FINDINGS];
        for (int k = 0; k < FINDINGS; k++) {
            u[k] = rnd.nextDouble();
            strength[k] = 1 - difficulty * rnd.nextDouble();
        }
        // Copying one uniform draw keeps both prevalences exactly as they were and raises only how often the two
        // ischaemic findings appear together.
        if (rnd.nextDouble() < coOccurrence) {
            u[TINV_ANT] = u[STD_INF];
        }
        for (int k = 0; k < FINDINGS; k++) {
            findings[k] = u[k] < PREVALENCE[k];
        }
        Params p = sampleRest(rnd, findings, strength, difficulty);
        // TINV_ANT: the T-vector change points anterior; in half of the patients (the anterolateral form) it turns
        // leftward too, so that T also flattens or inverts in I, aVL, V5 and V6.
        boolean lateral = rnd.nextDouble() < TINV_LATERAL_SHARE;
        double septalAz = uniform(rnd, TINV_SEPTAL_AZIMUTH_DEG[0], TINV_SEPTAL_AZIMUTH_DEG[1]);
        double lateralAz = uniform(rnd, TINV_LATERAL_AZIMUTH_DEG[0], TINV_LATERAL_AZIMUTH_DEG[1]);
        double az = Math.toRadians(lateral ? lateralAz : septalAz);
        double el = Math.toRadians(uniform(rnd, TINV_ELEVATION_DEG[0], TINV_ELEVATION_DEG[1]));
        double[] tinv = {Math.sin(az) * Math.cos(el), Math.sin(el), Math.cos(az) * Math.cos(el)};
        // STD_INF: the ST vector points superior, turned in the frontal plane towards aVR (diffuse subendocardial
        // ischaemia: ST depression in I too) or towards aVL (reciprocal to high-lateral injury: ST elevation in I),
        // with an anterior-posterior part that moves the precordial ST segments.
        double dev = Math.toRadians(uniform(rnd, -STD_V2_DEVIATION_DEG, STD_V2_DEVIATION_DEG));
        double ap = uniform(rnd, -STD_V2_ANTERIOR, STD_V2_ANTERIOR);
        double[] std = normalize(new double[] {Math.sin(dev), -Math.cos(dev), ap});
        // CD: the late right-ventricular force's direction varies around v1's, in the heart's own frame.
        double cdAz = Math.toRadians(uniform(rnd, CD_AZIMUTH_DEG[0], CD_AZIMUTH_DEG[1]));
        double cdEl = Math.toRadians(uniform(rnd, -CD_ELEVATION_DEG, CD_ELEVATION_DEG));
        double cdLen = Math.sqrt(CD_TERMINAL[0] * CD_TERMINAL[0] + CD_TERMINAL[1] * CD_TERMINAL[1]
                + CD_TERMINAL[2] * CD_TERMINAL[2]);
        double[] cd = {-cdLen * Math.sin(cdAz) * Math.cos(cdEl), cdLen * Math.sin(cdEl),
                cdLen * Math.cos(cdAz) * Math.cos(cdEl)};
        return p.withVectors(new FindingVectors(tinv, std, cd));
    }

    /** The draws v1 and v2 share, in v1's order, so that v1's records stay exactly what they were. */
    private static Params sampleRest(SplittableRandom rnd, boolean[] findings, double[] strength, double difficulty) {
        // Electrical axis and heart rotation vary between people; ±30° in the frontal plane covers normal axes.
        double frontal = Math.toRadians(uniform(rnd, -30, 30));
        double horizontal = Math.toRadians(uniform(rnd, -15, 15));
        double sagittal = Math.toRadians(uniform(rnd, -10, 10));
        double[][] rotation = multiply(rotZ(frontal), multiply(rotY(horizontal), rotX(sagittal)));

        double hr = uniform(rnd, 50, 100);
        double afHr = uniform(rnd, 60, 110);
        boolean af = findings[AFIB];
        double meanRr = 60.0 / (af ? afHr : hr);
        double sinusCv = uniform(rnd, 0.01, 0.04);
        double rrCv = af ? 0.06 + 0.16 * strength[AFIB] : sinusCv;
        // Some sinus records carry premature atrial beats, so an irregular RR alone does not prove AF.
        boolean hasPacs = rnd.nextDouble() < 0.2;
        double pacDraw = uniform(rnd, 0.05, 0.15);
        double pacRate = hasPacs ? pacDraw : 0;

        double pr = uniform(rnd, 0.13, 0.19);
        double qtc = uniform(rnd, 0.38, 0.44);
        double qrsWidth = uniform(rnd, 0.85, 1.15);
        double qrsGain = uniform(rnd, 0.7, 1.3);
        double pGain = uniform(rnd, 0.5, 1.5);
        double tGain = uniform(rnd, 0.7, 1.4);
        // Normal T vectors vary, including how anterior they are, so a flat T in V1–V2 alone is no proof of
        // TINV_ANT.
        double[] tVariant = {uniform(rnd, 0.8, 1.2), uniform(rnd, 0.8, 1.2), uniform(rnd, 0.2, 1.5)};
        double[] stNormal = {gaussian(rnd, 0.02), gaussian(rnd, 0.02), gaussian(rnd, 0.02)};
        // The injury current's direction varies; its deviation from straight superior, always rightward, leaks a
        // small, consistent ST depression into lead I, which is all a lead-I model can learn of this finding.
        double stdAngle = Math.toRadians(uniform(rnd, 5, STD_MAX_DEVIATION_DEG));
        double[] fibDir = normalize(new double[] {uniform(rnd, 0.5, 1.2), uniform(rnd, -0.7, 0.7),
                uniform(rnd, -0.2, 1.0)});
        double[] fibFreq = {uniform(rnd, 4, 8), uniform(rnd, 4, 8), uniform(rnd, 4, 8)};
        double respRate = uniform(rnd, 0.15, 0.35);
        double respPhase = uniform(rnd, 0, 2 * Math.PI);
        double emgSd = (0.01 + 0.03 * difficulty) * uniform(rnd, 0.5, 1.5);
        double wanderMv = (0.05 + 0.15 * difficulty) * uniform(rnd, 0.5, 1.5);
        long rhythmSeed = rnd.nextLong();
        long noiseSeed = rnd.nextLong();
        return new Params(findings, strength, rotation, meanRr, rrCv, pacRate, pr, qtc, qrsWidth, qrsGain, pGain, tGain,
                tVariant, stNormal, stdAngle, fibDir, fibFreq, respRate, respPhase, emgSd, wanderMv, difficulty,
                rhythmSeed, noiseSeed, null);
    }

    /**
     * R-peak times in seconds, covering [−1.5, seconds + 1.5] so that waves of beats just outside the window still
     * enter it.
     */
    static double[] beatTimes(Params p, double seconds) {
        SplittableRandom rnd = new SplittableRandom(p.rhythmSeed());
        boolean af = p.findings()[AFIB];
        double[] out = new double[16];
        int n = 0;
        double t = -1.5 + rnd.nextDouble() * p.meanRr();
        double pending = 0;
        while (t < seconds + 1.5) {
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = t;
            double rr;
            if (af) {
                // AF conducts at random: a log-normal RR has no memory, unlike sinus rhythm.
                double sd = Math.sqrt(Math.log(1 + p.rrCv() * p.rrCv()));
                rr = p.meanRr() * Math.exp(sd * rnd.nextGaussian() - sd * sd / 2);
                rr = Math.max(rr, 0.3);
            } else {
                // Sinus: respiratory sinus arrhythmia plus small beat-to-beat jitter.
                double rsa = 0.5 * p.rrCv() * Math.sin(2 * Math.PI * p.respRate() * t + p.respPhase());
                rr = p.meanRr() * (1 + rsa + 0.5 * p.rrCv() * rnd.nextGaussian());
                boolean premature = rnd.nextDouble() < p.pacRate();
                if (pending > 0) {
                    rr += pending;
                    pending = 0;
                } else if (premature) {
                    // A premature beat comes 25–35 % early; the sinus node resets, so the next interval is long.
                    double early = (0.25 + 0.1 * rnd.nextDouble()) * rr;
                    rr -= early;
                    pending = 0.5 * early;
                }
            }
            t += rr;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The heart vector {@code [3][samples]} in the body frame, without noise. */
    static double[][] dipole(Params p, double fs, int samples) {
        double seconds = samples / fs;
        double[][] d = new double[3][samples];
        // Sampling a 10 ms QRS at 100 Hz would alias its peak; widening each Gaussian by a Gaussian anti-alias
        // kernel is the exact low-pass of the continuous signal, at no cost.
        double aa = 0.4 / fs;
        double[][] rot = p.rotation();
        boolean af = p.findings()[AFIB];
        boolean cd = p.findings()[CD];
        double cdS = p.strength()[CD];
        double w = p.qrsWidth() * (cd ? 1 + 0.25 * cdS : 1);
        double[] tVec = new double[3];
        for (int k = 0; k < 3; k++) {
            tVec[k] = T[k] * p.tVariant()[k] * p.tGain();
        }
        double[] tBody = apply(rot, tVec);
        FindingVectors fv = p.vectors();
        if (p.findings()[TINV_ANT]) {
            double a = TINV_MV * p.strength()[TINV_ANT];
            if (fv == null) {
                // v1: TINV_ANT acts in the body frame along z so that, whatever the heart's orientation, it stays
                // out of the frontal plane and hence out of every limb lead.
                tBody[2] -= a;
            } else {
                for (int k = 0; k < 3; k++) {
                    tBody[k] -= a * fv.tinv()[k];
                }
            }
        }
        double[] st = p.stNormal().clone();
        if (p.findings()[STD_INF]) {
            double m = STD_MV * p.strength()[STD_INF];
            if (fv == null) {
                st[0] -= m * Math.sin(p.stdAngle());
                st[1] -= m * Math.cos(p.stdAngle());
            } else {
                for (int k = 0; k < 3; k++) {
                    st[k] += m * fv.std()[k];
                }
            }
        }
        double[] p1 = apply(rot, P1);
        double[] p2 = apply(rot, P2);
        double[] q = apply(rot, Q);
        double[] r = apply(rot, R);
        double[] r2 = apply(rot, R2);
        double[] s = apply(rot, S);
        double[] cdVec = apply(rot, fv == null ? CD_TERMINAL : fv.cd());

        double[] beats = beatTimes(p, seconds);
        SplittableRandom jitter = new SplittableRandom(p.rhythmSeed() ^ 0x9E3779B97F4A7C15L);
        double prev = beats.length > 0 ? beats[0] - p.meanRr() : 0;
        for (double tb : beats) {
            double rr = Math.max(tb - prev, 0.3);
            prev = tb;
            double resp = 1 + 0.05 * Math.sin(2 * Math.PI * p.respRate() * tb + p.respPhase());
            double g = p.qrsGain() * resp * (1 + 0.03 * jitter.nextGaussian());
            if (!af) {
                double pg = p.pGain() * (1 + 0.05 * jitter.nextGaussian());
                add(d, fs, aa, tb - p.pr() - 0.012, 0.018, 0.018, p1, pg);
                add(d, fs, aa, tb - p.pr() + 0.012, 0.018, 0.018, p2, pg);
            }
            add(d, fs, aa, tb - 0.022 * w, 0.008 * w, 0.008 * w, q, g);
            add(d, fs, aa, tb, 0.011 * w, 0.011 * w, r, g);
            add(d, fs, aa, tb + 0.012 * w, 0.010 * w, 0.010 * w, r2, g);
            add(d, fs, aa, tb + 0.028 * w, 0.009 * w, 0.009 * w, s, g);
            if (cd) {
                add(d, fs, aa, tb + 0.05 * w, 0.016 * w, 0.016 * w, cdVec, 0.6 * cdS * p.qrsGain());
            }
            // Repolarisation shortens with faster rates (Bazett), so the T wave follows sqrt(RR).
            double qt = p.qtc() * Math.sqrt(Math.min(rr, 1.6));
            double tPeak = tb + qt - 0.08;
            add(d, fs, aa, tPeak, 0.07 * Math.sqrt(rr), 0.045, tBody, 1 + 0.03 * jitter.nextGaussian());
            double j = tb + 0.04 * w;
            add(d, fs, aa, j + 0.6 * (tPeak - j), 0.05, 0.07, st, 1);
        }
        if (af) {
            // Fibrillatory waves: a few 4–8 Hz oscillations along one atrial direction, slowly modulated.
            double amp = 0.02 + 0.06 * p.strength()[AFIB];
            SplittableRandom fr = new SplittableRandom(p.rhythmSeed() ^ 0xC2B2AE3D27D4EB4FL);
            double[] phase = {fr.nextDouble() * 2 * Math.PI, fr.nextDouble() * 2 * Math.PI,
                    fr.nextDouble() * 2 * Math.PI};
            double modPhase = fr.nextDouble() * 2 * Math.PI;
            for (int n = 0; n < samples; n++) {
                double t = n / fs;
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += Math.sin(2 * Math.PI * p.fibFreq()[k] * t + phase[k]);
                }
                v *= amp / 1.7 * (1 + 0.3 * Math.sin(2 * Math.PI * 0.3 * t + modPhase));
                for (int k = 0; k < 3; k++) {
                    d[k][n] += v * p.fibDir()[k];
                }
            }
        }
        return d;
    }

    /**
     * The twelve leads {@code [12][samples]} in mV, in {@code Lead.STANDARD_12} order.
     *
     * @param noise whether to add baseline wander and muscle noise; the clean form exists for tests that measure a
     *              finding's effect on one lead
     */
    static double[][] render(Params p, double fs, int samples, boolean noise) {
        double[][] d = dipole(p, fs, samples);
        // Electrodes: R, L, F, then the six chest positions, all relative to a zero Wilson terminal.
        double[][] lv = {A_R, A_L, A_F, CHEST[0], CHEST[1], CHEST[2], CHEST[3], CHEST[4], CHEST[5]};
        double[][] e = new double[9][samples];
        for (int k = 0; k < 9; k++) {
            double[] a = lv[k];
            double[] ek = e[k];
            for (int n = 0; n < samples; n++) {
                ek[n] = a[0] * d[0][n] + a[1] * d[1][n] + a[2] * d[2][n];
            }
        }
        if (noise) {
            addNoise(p, fs, e);
        }
        double[][] out = new double[12][samples];
        for (int n = 0; n < samples; n++) {
            double rA = e[0][n];
            double lA = e[1][n];
            double fA = e[2][n];
            double wct = (rA + lA + fA) / 3;
            out[0][n] = lA - rA;
            out[1][n] = fA - rA;
            out[2][n] = fA - lA;
            out[3][n] = rA - (lA + fA) / 2;
            out[4][n] = lA - (rA + fA) / 2;
            out[5][n] = fA - (rA + lA) / 2;
            for (int v = 0; v < 6; v++) {
                out[6 + v][n] = e[3 + v][n] - wct;
            }
        }
        return out;
    }

    private static void addNoise(Params p, double fs, double[][] e) {
        SplittableRandom rnd = new SplittableRandom(p.noiseSeed());
        int samples = e[0].length;
        // Baseline wander: breathing moves all electrodes together, electrode contact drifts each on its own.
        double respAmp = p.wanderMv() * uniform(rnd, 0.3, 1.0);
        for (double[] ek : e) {
            double share = uniform(rnd, -1, 1) * respAmp;
            double f1 = uniform(rnd, 0.05, 0.5);
            double ph1 = uniform(rnd, 0, 2 * Math.PI);
            double a1 = p.wanderMv() * uniform(rnd, 0, 0.7);
            double f2 = uniform(rnd, 0.05, 0.5);
            double ph2 = uniform(rnd, 0, 2 * Math.PI);
            double a2 = p.wanderMv() * uniform(rnd, 0, 0.5);
            double emg = p.emgSd() * uniform(rnd, 0.5, 1.5);
            for (int n = 0; n < samples; n++) {
                double t = n / fs;
                ek[n] += share * Math.sin(2 * Math.PI * p.respRate() * t + p.respPhase())
                        + a1 * Math.sin(2 * Math.PI * f1 * t + ph1)
                        + a2 * Math.sin(2 * Math.PI * f2 * t + ph2)
                        + emg * rnd.nextGaussian();
            }
        }
    }

    /** Adds an asymmetric Gaussian wave (widths {@code sl} before and {@code sr} after its centre) along {@code v}. */
    private static void add(double[][] d, double fs, double aa, double mu, double sl, double sr, double[] v,
                            double gain) {
        double el = Math.sqrt(sl * sl + aa * aa);
        double er = Math.sqrt(sr * sr + aa * aa);
        // Widening a Gaussian by convolution keeps its area, so its peak drops by σ/σ_eff.
        double peak = gain * (sl + sr) / (el + er);
        int samples = d[0].length;
        int from = Math.max(0, (int) Math.ceil((mu - 5 * el) * fs));
        int to = Math.min(samples - 1, (int) Math.floor((mu + 5 * er) * fs));
        for (int n = from; n <= to; n++) {
            double x = n / fs - mu;
            double z = x / (x < 0 ? el : er);
            double wgt = peak * Math.exp(-0.5 * z * z);
            d[0][n] += wgt * v[0];
            d[1][n] += wgt * v[1];
            d[2][n] += wgt * v[2];
        }
    }

    static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    private static double gaussian(SplittableRandom rnd, double sd) {
        return sd * rnd.nextGaussian();
    }

    private static double[] normalize(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    static double[] apply(double[][] m, double[] v) {
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2];
        }
        return out;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
            }
        }
        return c;
    }

    /** Rotation in the frontal (x–y) plane: shifts the electrical axis. */
    private static double[][] rotZ(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
    }

    /** Rotation in the horizontal (x–z) plane: moves the precordial transition zone. */
    private static double[][] rotY(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[][] {{c, 0, s}, {0, 1, 0}, {-s, 0, c}};
    }

    private static double[][] rotX(double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[][] {{1, 0, 0}, {0, c, -s}, {0, s, c}};
    }
}
