package dev.exchangemaildaemon.simulator;

/**
 * What an injected fault may match an authenticated EWS request on.
 *
 * @param operation the SOAP body's operation, such as {@code FindItem}
 * @param mailbox   the mailbox the request reaches: the impersonated one, or a delegated token's user's
 * @param clientId  the app the bearer token was issued to
 */
public record EwsCall(String operation, String mailbox, String clientId) {
}
