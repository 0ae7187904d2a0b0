package dev.mvkt.datasets;

/**
 * The PTB-XL label tasks of helme/ecg_ptbxl_benchmarking, aggregated from {@code scp_statements.csv}.
 *
 * <p>In every task the likelihood values of {@code scp_codes} are ignored (a code is present whatever its value),
 * records with no label in the task are dropped, and classes are the labels present, sorted.
 */
public enum PtbXlTask {
    /** Every SCP code a record has (71 classes on the full set). */
    ALL,
    /** Codes with {@code diagnostic == 1} (44 classes). */
    DIAGNOSTIC,
    /** The {@code diagnostic_subclass} of the diagnostic codes (23 classes). */
    SUBDIAGNOSTIC,
    /** The {@code diagnostic_class} of the diagnostic codes (5 classes: CD, HYP, MI, NORM, STTC). */
    SUPERDIAGNOSTIC,
    /** Codes with {@code form == 1} (19 classes). */
    FORM,
    /** Codes with {@code rhythm == 1} (12 classes). */
    RHYTHM
}
