package dev.exchangemaildaemon.simulator.entra;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An error from the Entra ID token endpoint: the HTTP status, the OAuth {@code error} and the AADSTS code with
 * its text, worded as Entra ID words them, and the {@code suberror} MSAL reads for interaction-required errors.
 */
record EntraError(int status, String error, int code, String text, String suberror) {

    /** The Office 365 Exchange Online service principal's app id, which Entra ID names in MFA errors. */
    private static final String EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssX").withZone(ZoneOffset.UTC);

    EntraError(int status, String error, int code, String text) {
        this(status, error, code, text, null);
    }

    static EntraError tenantNotFound(String tenant) {
        return new EntraError(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure"
                + " you have the correct tenant ID and are signing into the correct cloud. Check with your"
                + " subscription administrator, this may happen if there are no active subscriptions for the tenant.");
    }

    static EntraError tenantMalformed(String tenant) {
        return new EntraError(400, "invalid_request", 900023, "Specified tenant identifier '" + tenant
                + "' is neither a valid DNS name, nor a valid external domain.");
    }

    static EntraError missingParameter(String name) {
        return new EntraError(400, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + name + "'.");
    }

    static EntraError unsupportedGrantType(String grantType) {
        return new EntraError(400, "unsupported_grant_type", 70003,
                "The app requested an unsupported grant type '" + grantType + "'.");
    }

    static EntraError applicationNotFound(String clientId, String tenant) {
        return new EntraError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                + "' was not found in the directory '" + tenant + "'. This can happen if the application has not"
                + " been installed by the administrator of the tenant or consented to by any user in the tenant."
                + " You may have sent your authentication request to the wrong tenant.");
    }

    static EntraError missingClientSecret() {
        return new EntraError(401, "invalid_client", 7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }

    static EntraError invalidClientSecret(String clientId) {
        return new EntraError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret"
                + " being sent in the request is the client secret value, not the client secret ID, for a secret"
                + " added to app '" + clientId + "'.");
    }

    static EntraError clientSecretExpired(String clientId) {
        return new EntraError(401, "invalid_client", 7000222, "The provided client secret keys for app '" + clientId
                + "' are expired. Visit the Azure portal to create new keys for your app:"
                + " https://aka.ms/NewClientSecret, or consider using certificate credentials for added security:"
                + " https://aka.ms/certCreds.");
    }

    static EntraError scopeWithoutDefault(String scope) {
        return new EntraError(400, "invalid_scope", 1002012, "The provided value for scope " + scope
                + " is not valid. Client credential flows must have a scope value with /.default suffixed to the"
                + " resource identifier (application ID URI).");
    }

    static EntraError resourceNotFound(String resource, String tenant) {
        return new EntraError(400, "invalid_resource", 500011, "The resource principal named " + resource
                + " was not found in the tenant named " + tenant + ". This can happen if the application has not"
                + " been installed by the administrator of the tenant or consented to by any user in the tenant."
                + " You might have sent your authentication request to the wrong tenant.");
    }

    static EntraError scopesOfSeveralResources(String scope) {
        return new EntraError(400, "invalid_request", 28000, "Provided value for the input parameter scope is not"
                + " valid because it contains more than one resource. Scope " + scope + " is not valid.");
    }

    static EntraError consentRequired(String clientId) {
        return new EntraError(400, "invalid_grant", 65001, "The user or administrator has not consented to use the"
                + " application with ID '" + clientId + "'. Send an interactive authorization request for this user"
                + " and resource.", "consent_required");
    }

    static EntraError mfaRequired() {
        return new EntraError(400, "invalid_grant", 50076, "Due to a configuration change made by your administrator,"
                + " or because you moved to a new location, you must use multi-factor authentication to access '"
                + EXCHANGE_APP_ID + "'.", "basic_action");
    }

    static EntraError mfaEnrollmentRequired() {
        return new EntraError(400, "invalid_grant", 50079, "Due to a configuration change made by your"
                + " administrator, or because you moved to a new location, you must enroll in multi-factor"
                + " authentication to access '" + EXCHANGE_APP_ID + "'.", "basic_action");
    }

    static EntraError accountLocked() {
        return new EntraError(400, "invalid_grant", 50053, "The account is locked, you've tried to sign in too many"
                + " times with an incorrect user ID or password.");
    }

    static EntraError accountDisabled() {
        return new EntraError(400, "invalid_grant", 50057, "The user account is disabled.");
    }

    static EntraError userNotFound(String tenant) {
        return new EntraError(400, "invalid_grant", 50034, "The user account {EUII Hidden} does not exist in the "
                + tenant + " directory. To sign into this application, the account must be added to the directory.");
    }

    static EntraError invalidCredentials() {
        return new EntraError(400, "invalid_grant", 50126,
                "Error validating credentials due to invalid username or password.");
    }

    static EntraError invalidRefreshToken() {
        return new EntraError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
    }

    /** The JSON body, echoing the client's {@code client-request-id} as the correlation id when it sent one. */
    String toJson(String correlationId, Instant now) {
        String traceId = UUID.randomUUID().toString();
        String timestamp = TIMESTAMP.format(now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + text + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp);
        body.put("error_codes", List.of(code));
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        if (suberror != null) {
            body.put("suberror", suberror);
        }
        return Json.write(body);
    }
}
