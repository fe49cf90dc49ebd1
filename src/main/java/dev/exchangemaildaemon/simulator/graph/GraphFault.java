package dev.exchangemaildaemon.simulator.graph;

/** A Graph request refused with that error. */
final class GraphFault extends Exception {

    private final transient GraphError error;

    GraphFault(GraphError error) {
        super(error.code() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    GraphError error() {
        return error;
    }
}
