package dev.exchangemaildaemon.simulator.ews;

import java.util.Map;

import dev.exchangemaildaemon.simulator.ResponseCodes;

/**
 * The whole request failed: Exchange answers with a SOAP fault in HTTP 500 whose detail carries the response
 * code, its text and, for some codes, values in {@code t:MessageXml}.
 */
public final class EwsFault extends Exception {

    /** How long Exchange tells a client to back off after ErrorServerBusy, when nothing more specific applies. */
    private static final long DEFAULT_BACK_OFF_MILLISECONDS = 30_000;

    private final String code;
    private final String text;
    private final Map<String, String> messageXml;

    private EwsFault(String code, String text, Map<String, String> messageXml) {
        super(code + ": " + text, null, false, false);
        this.code = code;
        this.text = text;
        this.messageXml = messageXml;
    }

    /** The fault Exchange answers with for that code when it concerns that mailbox. */
    static EwsFault of(String code, String mailbox) {
        return switch (code) {
            case ResponseCodes.NON_EXISTENT_MAILBOX -> withValue(code, "SmtpAddress", mailbox);
            case ResponseCodes.SERVER_BUSY -> serverBusy(DEFAULT_BACK_OFF_MILLISECONDS);
            default -> of(code);
        };
    }

    static EwsFault of(String code) {
        return new EwsFault(code, ResponseCodes.text(code), Map.of());
    }

    /** Throttling: Exchange Online tells the client how long to back off before it tries again. */
    public static EwsFault serverBusy(long backOffMilliseconds) {
        return withValue(ResponseCodes.SERVER_BUSY, "BackOffMilliseconds", Long.toString(backOffMilliseconds));
    }

    /** A request the simulator cannot answer: schema-invalid, or beyond what it models. */
    static EwsFault invalidRequest(String detail) {
        return new EwsFault(ResponseCodes.INVALID_REQUEST, ResponseCodes.text(ResponseCodes.INVALID_REQUEST)
                + " " + detail, Map.of());
    }

    static EwsFault schemaValidation(String detail) {
        return new EwsFault(ResponseCodes.SCHEMA_VALIDATION, ResponseCodes.text(ResponseCodes.SCHEMA_VALIDATION)
                + " " + detail, Map.of());
    }

    private static EwsFault withValue(String code, String name, String value) {
        return new EwsFault(code, ResponseCodes.text(code), Map.of(name, value));
    }

    String code() {
        return code;
    }

    String text() {
        return text;
    }

    Map<String, String> messageXml() {
        return messageXml;
    }
}
