package dev.exchangemaildaemon.auth;

/** Bearer tokens for one mailbox: the app's token (client secret) or the user's own (user name/password). */
public interface AccessTokens {

    /** A valid access token, from cache while it has time left. */
    String get() throws TokenException;

    /** Forgets the token after the server refused it, so that the next {@link #get()} fetches a new one. */
    void refused(String token);

    /** True for an app-only token: the mailbox is then reached by impersonation. */
    boolean appOnly();
}
