/**
 * Scores ECG archives with an mvkt student on Apache Spark: {@link dev.mvkt.spark.MvktSpark} reads WFDB and CPSC
 * records (or a Parquet table of signals) into rows on the executors, broadcasts the model's bytes once, loads it once
 * per executor JVM and scores each partition in batches through the student's folded inference network. A record that
 * cannot be read or scored becomes a row with its error, so the output always has one row per input record.
 *
 * <p>Spark is a {@code provided} dependency: a job runs on the cluster's own Spark (4.x, Scala 2.13, Java 17).
 */
package dev.mvkt.spark;
