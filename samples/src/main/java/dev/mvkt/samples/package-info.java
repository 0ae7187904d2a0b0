/** What a user runs: the demo that reproduces the layout of the paper's Table 2 on the synthetic dataset. */
package dev.mvkt.samples;
