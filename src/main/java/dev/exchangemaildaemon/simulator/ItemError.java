package dev.exchangemaildaemon.simulator;

/** One item or folder of a request failed: Exchange answers its response message with ResponseClass="Error". */
final class ItemError extends Exception {

    private final String code;
    private final String text;

    /** An error with Exchange's usual text for the code. */
    ItemError(String code) {
        this(code, ResponseCodes.text(code));
    }

    /** An error whose MessageText names the particular item, as some of Exchange's do. */
    ItemError(String code, String text) {
        super(code, null, false, false);
        this.code = code;
        this.text = text;
    }

    String code() {
        return code;
    }

    String text() {
        return text;
    }
}
