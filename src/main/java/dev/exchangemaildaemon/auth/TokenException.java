package dev.exchangemaildaemon.auth;

import java.util.Optional;

/**
 * Entra ID did not issue a token. Carries the AADSTS error code when Entra ID gave one, and never a secret.
 */
public class TokenException extends Exception {

    private final String errorCode;

    public TokenException(String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** For example {@code AADSTS7000215}, or {@code UNREACHABLE} when Entra ID could not be reached. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
