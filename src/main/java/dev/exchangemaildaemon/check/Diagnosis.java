package dev.exchangemaildaemon.check;

/**
 * What went wrong, in the admin's terms.
 *
 * @param code the code as Entra ID or Exchange gave it (AADSTS7000215, ErrorNonExistentMailbox, HTTP 403), or
 *        ours for what happened before an answer (UNREACHABLE, TLS, CONNECTION, TIMEOUT)
 * @param step the setup step to revisit
 * @param message what the server said, whole
 * @param hint what to do
 * @param httpStatus the status the API answers with
 */
public record Diagnosis(String code, String step, String message, String hint, int httpStatus) {
}
