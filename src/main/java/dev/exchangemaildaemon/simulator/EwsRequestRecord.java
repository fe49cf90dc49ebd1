package dev.exchangemaildaemon.simulator;

/**
 * One EWS request the simulator accepted past authentication.
 *
 * @param operation            the SOAP body's operation, such as {@code FindItem}
 * @param principal            who the bearer token was issued to: an app's client id or a user's UPN
 * @param impersonatedAddress  the {@code ExchangeImpersonation} header's SMTP address, or {@code null} without one
 * @param anchorMailbox        the {@code X-AnchorMailbox} HTTP header, or {@code null} without one
 */
public record EwsRequestRecord(String operation, String principal, String impersonatedAddress, String anchorMailbox) {
}
