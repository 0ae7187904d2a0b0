/**
 * Datasets that mvkt trains and evaluates on.
 *
 * <p>{@link dev.mvkt.datasets.SyntheticEcg} exists so that the whole method can be run, tested and demonstrated
 * without downloading patient data, and so that its claim can be checked where the truth is known: its findings
 * are placed, by construction, where lead I sees them weakly or not at all, so a 12-lead teacher knows things a
 * lead-I student has to be taught. Real-data loaders return the same {@link dev.mvkt.api.EcgDataset} shape, so
 * nothing downstream can tell the difference.
 *
 * <p>Real data: {@link dev.mvkt.datasets.PtbXl}, {@link dev.mvkt.datasets.Cpsc2018} and
 * {@link dev.mvkt.datasets.Cinc} read users' own copies of the public datasets, offline, by the paper's protocol;
 * {@link dev.mvkt.datasets.Wfdb} and {@link dev.mvkt.datasets.WfdbHeader} read single WFDB records. Every file is
 * checked (lengths, checksums, initial values, lead names, finiteness) and refused with an
 * {@link dev.mvkt.datasets.EcgFormatException} that names the file and the place in it. Loaded signals go to a
 * memory-mapped float32 cache, written to a temporary file and renamed only when complete.
 * {@link dev.mvkt.datasets.EcgDatasets#leads} views any dataset as a lead subset without copying samples; the
 * other {@link dev.mvkt.datasets.EcgDatasets} views take a stratified labelled fraction of the training split, hide
 * the labels of the rest, or append an unlabelled pool, for learning from few labels.
 */
package dev.mvkt.datasets;
