package dev.exchangemaildaemon.simulator.graph;

import java.util.Map;

import dev.exchangemaildaemon.simulator.ResponseCodes;

/**
 * An error as Microsoft Graph answers it: an HTTP status and {@code {"error": {"code", "message", "innerError"}}},
 * the codes and texts those of Exchange Online behind Graph.
 */
public record GraphError(int status, String code, String message) {

    /** Codes {@code ExchangeSimulator.failGraphMailbox} can inject, each as Graph answers it for a mailbox. */
    private static final Map<String, GraphError> MAILBOX_FAULTS = Map.of(
            "ErrorInvalidUser", new GraphError(404, "ErrorInvalidUser", "The requested user '%s' is invalid."),
            "MailboxNotEnabledForRESTAPI", new GraphError(404, "MailboxNotEnabledForRESTAPI",
                    "The mailbox is either inactive, soft-deleted, or is hosted on-premise."),
            "ResourceNotFound", new GraphError(404, "ResourceNotFound", "Resource could not be discovered."),
            "ErrorAccessDenied", new GraphError(403, "ErrorAccessDenied",
                    "Access to OData is disabled: Blocked by tenant configured AppOnly AccessPolicy settings."),
            "ErrorMailboxStoreUnavailable", new GraphError(503, "ErrorMailboxStoreUnavailable",
                    "The mailbox database is temporarily unavailable."));

    static GraphError forMailbox(String code, String address) {
        GraphError error = MAILBOX_FAULTS.get(code);
        if (error == null) {
            throw new IllegalArgumentException("cannot inject Graph error " + code + "; known: " + MAILBOX_FAULTS.keySet());
        }
        return new GraphError(error.status, error.code, String.format(error.message, address));
    }

    public static void checkInjectable(String code) {
        forMailbox(code, "");
    }

    static GraphError tokenEmpty() {
        return new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
    }

    static GraphError tokenInvalid() {
        return new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.");
    }

    static GraphError invalidAudience() {
        return new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
    }

    static GraphError accessDenied() {
        return new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }

    static GraphError invalidUser(String address) {
        return forMailbox("ErrorInvalidUser", address);
    }

    static GraphError meWithAppToken() {
        return new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    }

    static GraphError itemNotFound() {
        return new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    static GraphError idMalformed() {
        return new GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
    }

    static GraphError folderExists() {
        return new GraphError(409, "ErrorFolderExists", "A folder with the specified name already exists.");
    }

    static GraphError sendAsDenied() {
        return new GraphError(403, "ErrorSendAsDenied", ResponseCodes.text(ResponseCodes.SEND_AS_DENIED));
    }

    static GraphError invalidRecipients(String message) {
        return new GraphError(400, "ErrorInvalidRecipients", message);
    }

    static GraphError recipientNotFound(String address) {
        return new GraphError(400, "ErrorMailRecipientNotFound",
                "Unable to resolve e-mail address <>SMTP:" + address + " to an Active Directory object.");
    }

    public static GraphError throttled() {
        return new GraphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.");
    }

    /**
     * A request over Graph's 4 MB limit. Graph's errors page documents 413 Request Entity Too Large; the body's code
     * and text are not documented, these are those Graph has been seen to answer.
     */
    public static GraphError requestTooLarge() {
        return new GraphError(413, "RequestEntityTooLarge", "The maximum request length supported is 4MB.");
    }

    /** Graph's documented code for an unspecified error, with 500 Internal Server Error. */
    public static GraphError generalException() {
        return new GraphError(500, "generalException", "An unspecified error has occurred.");
    }

    /** A request over Graph's throttling limits, as the sample of Microsoft's throttling guide answers it. */
    static GraphError tooManyRequests() {
        return new GraphError(429, "TooManyRequests", "Please retry again later.");
    }

    /** A $filter with $orderby that breaks Exchange's rule for using both on messages. */
    static GraphError inefficientFilter() {
        return new GraphError(400, "InefficientFilter", "The restriction or sort order is too complex for this operation.");
    }

    /** A query option naming a property the type does not have. */
    static GraphError unknownProperty(String property, String type) {
        return new GraphError(400, "RequestBroker--ParseUri",
                "Could not find a property named '" + property + "' on type '" + type + "'.");
    }

    /** A batched request not run because a request it depends on failed. */
    static GraphError failedDependency() {
        return new GraphError(424, "FailedDependency", "A request this request depends on failed.");
    }

    static GraphError badRequest(String message) {
        return new GraphError(400, "BadRequest", message);
    }
}
