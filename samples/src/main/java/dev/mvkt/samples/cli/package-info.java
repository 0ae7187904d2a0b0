/**
 * The {@code mvkt} command line: training ({@code teacher}, {@code distill}), {@code evaluate}, {@code diagnose},
 * and the paper's experiments ({@code experiment table2|ablation|leads|tsne}), each writing a Markdown report,
 * PNG plots, {@code results.json} and the trained models with their provenance into one output folder.
 */
package dev.mvkt.samples.cli;
