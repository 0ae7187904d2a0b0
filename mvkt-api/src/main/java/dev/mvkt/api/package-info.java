/**
 * The vocabulary every mvkt module speaks: {@link dev.mvkt.api.Lead leads}, {@link dev.mvkt.api.EcgRecord records},
 * {@link dev.mvkt.api.EcgDataset datasets} with their {@link dev.mvkt.api.Split splits},
 * {@link dev.mvkt.api.LossTerm loss terms}, {@link dev.mvkt.api.Evaluation evaluations},
 * {@link dev.mvkt.api.Diagnosis diagnoses} with their {@link dev.mvkt.api.SignalQuality signal quality} and
 * {@link dev.mvkt.api.Provenance provenance}.
 *
 * <p>This module has no deep-learning dependency, so datasets and losses can be written and tested on plain arrays.
 */
package dev.mvkt.api;
