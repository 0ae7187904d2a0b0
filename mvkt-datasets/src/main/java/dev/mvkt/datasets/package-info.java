/**
 * Datasets that mvkt trains and evaluates on.
 *
 * <p>{@link dev.mvkt.datasets.SyntheticEcg} exists so that the whole method can be run, tested and demonstrated
 * without downloading patient data, and so that its claim can be checked where the truth is known: its findings
 * are placed, by construction, where lead I sees them weakly or not at all, so a 12-lead teacher knows things a
 * lead-I student has to be taught. Real-data loaders return the same {@link dev.mvkt.api.EcgDataset} shape, so
 * nothing downstream can tell the difference.
 */
package dev.mvkt.datasets;
