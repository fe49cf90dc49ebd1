package dev.exchangemaildaemon.simulator.entra;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Token failures injected per principal: every token request naming that client id, or that user (by username or
 * by a refresh token issued to them), fails with Entra ID's error for the AADSTS code, or is held unanswered.
 */
public final class TokenFaults {

    /** The codes that can be injected, each with the error Entra ID answers, given the client id and tenant. */
    private static final Map<Integer, BiFunction<String, String, EntraError>> ERRORS = Map.ofEntries(
            Map.entry(7000215, (clientId, tenant) -> EntraError.invalidClientSecret(clientId)),
            Map.entry(7000222, (clientId, tenant) -> EntraError.clientSecretExpired(clientId)),
            Map.entry(700016, EntraError::applicationNotFound),
            Map.entry(90002, (clientId, tenant) -> EntraError.tenantNotFound(tenant)),
            Map.entry(900023, (clientId, tenant) -> EntraError.tenantMalformed(tenant)),
            Map.entry(50126, (clientId, tenant) -> EntraError.invalidCredentials()),
            Map.entry(50076, (clientId, tenant) -> EntraError.mfaRequired()),
            Map.entry(50079, (clientId, tenant) -> EntraError.mfaEnrollmentRequired()),
            Map.entry(65001, (clientId, tenant) -> EntraError.consentRequired(clientId)),
            Map.entry(7000218, (clientId, tenant) -> EntraError.missingClientSecret()),
            Map.entry(50034, (clientId, tenant) -> EntraError.userNotFound(tenant)),
            Map.entry(50053, (clientId, tenant) -> EntraError.accountLocked()),
            Map.entry(50057, (clientId, tenant) -> EntraError.accountDisabled()),
            Map.entry(500011, (clientId, tenant) ->
                    EntraError.resourceNotFound(TokenEndpoint.EXCHANGE_RESOURCE, tenant)));

    private final Map<String, Integer> codes = new ConcurrentHashMap<>();
    private final Set<String> stalled = ConcurrentHashMap.newKeySet();
    private final Set<String> stalledBodies = ConcurrentHashMap.newKeySet();
    /** Opened when the faults are cleared, letting every held request go. */
    private volatile CountDownLatch released = new CountDownLatch(1);

    /** @param aadstsCode such as {@code AADSTS50076}, or just {@code 50076} */
    public void fail(String principal, String aadstsCode) {
        int code = Integer.parseInt(aadstsCode.replaceFirst("(?i)^AADSTS", ""));
        if (!ERRORS.containsKey(code)) {
            throw new IllegalArgumentException("the simulator cannot inject AADSTS" + code + "; it knows "
                    + ERRORS.keySet());
        }
        codes.put(key(principal), code);
    }

    /** The error for the first of these principals (nulls skipped) that has a failure injected. */
    Optional<EntraError> errorFor(String clientId, String tenant, String... principals) {
        return Stream.of(principals).filter(Objects::nonNull)
                .map(principal -> codes.get(key(principal)))
                .filter(Objects::nonNull)
                .findFirst()
                .map(code -> ERRORS.get(code).apply(clientId, tenant));
    }

    /** Every token request of that principal is accepted and held without an answer. */
    public void stall(String principal) {
        stalled.add(key(principal));
    }

    /** Whether one of these principals (nulls skipped) has its requests held. */
    boolean stalls(String... principals) {
        return Stream.of(principals).filter(Objects::nonNull).map(TokenFaults::key).anyMatch(stalled::contains);
    }

    /**
     * Every token request of that principal is answered with its headers and the first half of its body, then
     * nothing more, as a front end or TLS-inspecting proxy that stops mid-answer does. Clearing the faults lets later
     * requests through; one already held stays held until the simulator stops, as a dead connection does.
     */
    public void stallBody(String principal) {
        stalledBodies.add(key(principal));
    }

    /** Whether one of these principals (nulls skipped) has its answers stopped mid-body. */
    boolean stallsBody(String... principals) {
        return Stream.of(principals).filter(Objects::nonNull).map(TokenFaults::key).anyMatch(stalledBodies::contains);
    }

    /** Holds the calling request until the faults are cleared, or the simulator stops and interrupts it. */
    void holdUntilCleared() throws InterruptedException {
        released.await();
    }

    public void clear() {
        codes.clear();
        stalled.clear();
        stalledBodies.clear();
        CountDownLatch held = released;
        released = new CountDownLatch(1);
        held.countDown();
    }

    private static String key(String principal) {
        return principal.toLowerCase(Locale.ROOT);
    }
}
