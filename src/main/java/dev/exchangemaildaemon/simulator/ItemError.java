package dev.exchangemaildaemon.simulator;

/** One item or folder of a request failed: Exchange answers its response message with ResponseClass="Error". */
public final class ItemError extends Exception {

    private final String code;
    private final String text;

    /** An error with Exchange's usual text for the code. */
    public ItemError(String code) {
        this(code, ResponseCodes.text(code));
    }

    /** An error whose MessageText names the particular item, as some of Exchange's do. */
    public ItemError(String code, String text) {
        super(code, null, false, false);
        this.code = code;
        this.text = text;
    }

    public String code() {
        return code;
    }

    public String text() {
        return text;
    }
}
