/**
 * An application that uses mvkt from the module path. mvkt's jars are automatic modules (named by their
 * Automatic-Module-Name): an application requires the ones whose types it names, here the trainer/loader
 * (dev.mvkt.core) and the vocabulary its answers come in (dev.mvkt.api).
 */
module dev.mvkt.example.consumer {
    requires dev.mvkt.core;
    requires dev.mvkt.api;
}
