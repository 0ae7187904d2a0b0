/**
 * What a user runs: the demo that reproduces the layout of the paper's Table 2 on the synthetic dataset, and the
 * benchmark; the command line and the paper's experiments are in {@link dev.mvkt.samples.cli}.
 */
package dev.mvkt.samples;
