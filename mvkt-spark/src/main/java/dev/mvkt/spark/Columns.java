package dev.mvkt.spark;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The column names and schemas of record and scored rows. A record row carries either a signal or an error; a scored
 * row adds the model's output (or the scoring error) to it.
 */
public final class Columns {
    /** Record identifier (the file's record name, or the table's). Never null. */
    public static final String ID = "id";
    /** The file a record was read from; null for records that came from a table. */
    public static final String SOURCE = "source";
    /** Samples per second; null when the record could not be read. */
    public static final String SAMPLING_RATE = "sampling_rate";
    /** Lead names, one per signal row ({@code I}, {@code aVR}, {@code V1} ...). */
    public static final String LEADS = "leads";
    /** {@code [lead][sample]} in mV. */
    public static final String SIGNAL = "signal";
    /** Multi-hot labels when known (CPSC2018 classes for WFDB {@code # Dx:} headers), else null or empty. */
    public static final String LABELS = "labels";
    /** Why the record could not be read or scored (the file, field and problem); null when it was scored. */
    public static final String ERROR = "error";
    /** The model's class names, in the order of the two columns below. */
    public static final String CLASSES = "classes";
    /** Calibrated probability per class, as {@code Student.diagnose} gives them (all NaN when it abstained). */
    public static final String PROBABILITIES = "probabilities";
    /** The decision threshold per class the findings were taken at. */
    public static final String THRESHOLDS = "thresholds";
    /** The classes at or above their threshold, most probable first. */
    public static final String FINDINGS = "findings";
    /**
     * The signal-quality verdict of {@code Student.diagnose}'s {@code QualityGate} on the record, as a struct
     * ({@link #QUALITY_TYPE}): {@code verdict} ({@code OK}, {@code QUESTIONABLE} or {@code UNUSABLE}),
     * {@code abstained} (true when the {@code QualityPolicy} left the record unscored: its probabilities are then all
     * NaN and it has no findings, as in {@code Diagnosis.abstention}) and {@code issues} (one struct per issue:
     * {@code reason}, {@code lead}, {@code verdict}, {@code message}). Null only in rows with an {@link #ERROR}.
     * In SQL: {@code WHERE quality.verdict <> 'OK'}, {@code WHERE quality.abstained}.
     */
    public static final String QUALITY = "quality";

    /**
     * One issue of the verdict: the reason (its enum name, e.g. {@code LEAD_OFF}), the lead (spelt as in
     * {@link #LEADS}, e.g. {@code aVR}), the issue's own verdict, and a sentence naming the measured value and limit.
     */
    public static final StructType QUALITY_ISSUE = new StructType(new StructField[]{
            DataTypes.createStructField("reason", DataTypes.StringType, false),
            DataTypes.createStructField("lead", DataTypes.StringType, false),
            DataTypes.createStructField("verdict", DataTypes.StringType, false),
            DataTypes.createStructField("message", DataTypes.StringType, false)});

    /** The type of {@link #QUALITY}. */
    public static final StructType QUALITY_TYPE = new StructType(new StructField[]{
            DataTypes.createStructField("verdict", DataTypes.StringType, false),
            DataTypes.createStructField("abstained", DataTypes.BooleanType, false),
            DataTypes.createStructField("issues", DataTypes.createArrayType(QUALITY_ISSUE, false), false)});

    // Array elements are nullable in the schema (as Parquet tables written elsewhere declare them), so that any table
    // casts to it; a null element in a signal is refused when the record is scored.
    private static final DataType STRINGS = DataTypes.createArrayType(DataTypes.StringType, true);
    private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, true);

    /** The schema of record rows. */
    public static final StructType RECORDS = new StructType(new StructField[]{
            DataTypes.createStructField(ID, DataTypes.StringType, false),
            DataTypes.createStructField(SOURCE, DataTypes.StringType, true),
            DataTypes.createStructField(SAMPLING_RATE, DataTypes.DoubleType, true),
            DataTypes.createStructField(LEADS, STRINGS, true),
            DataTypes.createStructField(SIGNAL, DataTypes.createArrayType(
                    DataTypes.createArrayType(DataTypes.FloatType, true), true), true),
            DataTypes.createStructField(LABELS, DataTypes.createArrayType(DataTypes.FloatType, true), true),
            DataTypes.createStructField(ERROR, DataTypes.StringType, true)});

    /** The columns {@link MvktSpark#score} adds after the record columns. */
    public static final StructType SCORES = new StructType(new StructField[]{
            DataTypes.createStructField(CLASSES, STRINGS, true),
            DataTypes.createStructField(PROBABILITIES, DOUBLES, true),
            DataTypes.createStructField(THRESHOLDS, DOUBLES, true),
            DataTypes.createStructField(FINDINGS, STRINGS, true),
            DataTypes.createStructField(QUALITY, QUALITY_TYPE, true)});

    private Columns() {
    }

    /** The schema of scored rows: the record columns (error included), then {@link #SCORES}. */
    public static StructType scored() {
        StructType t = RECORDS;
        for (StructField f : SCORES.fields()) {
            t = t.add(f);
        }
        return t;
    }
}
