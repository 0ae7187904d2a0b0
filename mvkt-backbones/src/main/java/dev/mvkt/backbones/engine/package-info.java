/**
 * Internal, not API: everything in mvkt that depends on DL4J/ND4J internals (non-public fields and methods, libnd4j
 * op argument layouts, helper classes), behind one version check ({@link dev.mvkt.backbones.engine.Engine}).
 *
 * <p>Classes here are public only so that {@code dev.mvkt.backbones} can use them; applications must not. They may
 * change in any release. docs/dl4j-upgrade.md lists each internal they touch and how to verify it after a DL4J/ND4J
 * upgrade. Settings reach them through {@link dev.mvkt.backbones.EngineOptions}.
 */
package dev.mvkt.backbones.engine;
