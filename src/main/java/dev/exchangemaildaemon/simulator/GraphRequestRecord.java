package dev.exchangemaildaemon.simulator;

/**
 * One Graph request the simulator accepted past authentication; a {@code $batch} counts once as itself and once
 * for each request in it.
 *
 * @param operation    such as {@code listMessages}, {@code updateMessage} or {@code $batch}
 * @param principal    who the bearer token was issued to: an app's client id or a user's UPN
 * @param mailbox      the mailbox the path names ({@code /users/{address}}, or the token's user for {@code /me}),
 *                     null for a {@code $batch}
 * @param immutableIds whether the request asked for immutable ids ({@code Prefer: IdType="ImmutableId"})
 */
public record GraphRequestRecord(String operation, String principal, String mailbox, boolean immutableIds) {
}
