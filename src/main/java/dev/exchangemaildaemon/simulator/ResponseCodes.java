package dev.exchangemaildaemon.simulator;

import java.util.Map;
import java.util.Set;

/** The EWS response codes the simulator answers with, and Exchange Online's English text for each. */
public final class ResponseCodes {

    public static final String NO_ERROR = "NoError";
    public static final String ITEM_NOT_FOUND = "ErrorItemNotFound";
    public static final String INVALID_ID_MALFORMED = "ErrorInvalidIdMalformed";
    public static final String FOLDER_NOT_FOUND = "ErrorFolderNotFound";
    public static final String FOLDER_EXISTS = "ErrorFolderExists";
    public static final String SEND_AS_DENIED = "ErrorSendAsDenied";
    public static final String INVALID_RECIPIENTS = "ErrorInvalidRecipients";
    public static final String MAIL_RECIPIENT_NOT_FOUND = "ErrorMailRecipientNotFound";
    public static final String NON_EXISTENT_MAILBOX = "ErrorNonExistentMailbox";
    public static final String IMPERSONATE_USER_DENIED = "ErrorImpersonateUserDenied";
    public static final String IMPERSONATION_HEADER_REQUIRED = "ErrorInvalidExchangeImpersonationHeaderData";
    public static final String INVALID_SERVER_VERSION = "ErrorInvalidServerVersion";
    public static final String SCHEMA_VALIDATION = "ErrorSchemaValidation";
    public static final String INVALID_REQUEST = "ErrorInvalidRequest";
    public static final String SERVER_BUSY = "ErrorServerBusy";

    /** Codes Exchange reports for the whole request, as a SOAP fault in HTTP 500, rather than per item. */
    private static final Set<String> SOAP_FAULTS = Set.of(NON_EXISTENT_MAILBOX, IMPERSONATE_USER_DENIED,
            IMPERSONATION_HEADER_REQUIRED, INVALID_SERVER_VERSION, SCHEMA_VALIDATION, INVALID_REQUEST, SERVER_BUSY,
            "ErrorImpersonationFailed");

    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry(ITEM_NOT_FOUND,
                    "The specified object was not found in the store., The process failed to get the correct properties."),
            Map.entry(INVALID_ID_MALFORMED, "Id is malformed."),
            Map.entry(FOLDER_NOT_FOUND, "The specified folder could not be found in the store."),
            Map.entry(FOLDER_EXISTS, "A folder with the specified name already exists."),
            Map.entry(SEND_AS_DENIED, "The user account which was used to submit this request does not have the"
                    + " right to send mail on behalf of the specified sending account., Cannot submit message."),
            Map.entry(INVALID_RECIPIENTS, "At least one recipient isn't valid., A message can't be sent because it"
                    + " contains no recipients."),
            Map.entry(NON_EXISTENT_MAILBOX, "The SMTP address has no mailbox associated with it."),
            Map.entry(IMPERSONATE_USER_DENIED, "The account does not have permission to impersonate the requested user."),
            Map.entry(IMPERSONATION_HEADER_REQUIRED,
                    "ExchangeImpersonation SOAP header must be present for this type of OAuth token."),
            Map.entry(INVALID_SERVER_VERSION, "The specified server version is invalid."),
            Map.entry(SCHEMA_VALIDATION, "The request failed schema validation."),
            Map.entry(INVALID_REQUEST, "The request is invalid."),
            Map.entry(SERVER_BUSY, "The server cannot service this request right now. Try again later."),
            Map.entry("ErrorExceededFindCountLimit", "Indicates that a search operation call has exceeded the total"
                    + " number of items that can be returned."),
            Map.entry("ErrorMailboxStoreUnavailable", "The mailbox database is temporarily unavailable."),
            Map.entry("ErrorMailboxMoveInProgress", "Mailbox move in progress. Try again later."),
            Map.entry("ErrorAccessDenied", "Access is denied. Check credentials and try again."));

    private ResponseCodes() {
    }

    public static String text(String code) {
        return TEXTS.getOrDefault(code, "The simulator failed this request with " + code + ".");
    }

    public static boolean isSoapFault(String code) {
        return SOAP_FAULTS.contains(code);
    }
}
