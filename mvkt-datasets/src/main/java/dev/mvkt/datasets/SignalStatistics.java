package dev.mvkt.datasets;

/**
 * The mean and population standard deviation of every sample value of every lead of every training record, in mV:
 * the single global scaler of the paper's protocol (helme/ecg_ptbxl_benchmarking fits one StandardScaler on the
 * flattened training data).
 *
 * <p>Loaders deliver millivolts and only report these numbers; mvkt-core fits and applies the same scaler itself,
 * so applying it here too would standardise twice.
 *
 * @param mean  mean sample value, mV
 * @param std   population standard deviation, mV
 * @param count number of sample values it was computed over
 */
public record SignalStatistics(double mean, double std, long count) {
}
