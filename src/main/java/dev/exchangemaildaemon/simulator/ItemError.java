package dev.exchangemaildaemon.simulator;

/** One item or folder of a request failed: Exchange answers its response message with ResponseClass="Error". */
final class ItemError extends Exception {

    private final String code;

    ItemError(String code) {
        super(code, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
