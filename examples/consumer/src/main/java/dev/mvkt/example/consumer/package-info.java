/**
 * A downstream application as the README tells users to set one up: it imports mvkt-bom, depends on mvkt-core and
 * ND4J's CPU backend, loads a student from its class path resources and diagnoses a recording. The build runs it on
 * the class path and on the module path against the just-built mvkt jars.
 */
package dev.mvkt.example.consumer;
