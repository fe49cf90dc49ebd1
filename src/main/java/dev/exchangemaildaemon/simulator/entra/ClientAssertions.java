package dev.exchangemaildaemon.simulator.entra;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Entra ID's checks of a {@code client_assertion} (a JWT instead of a client secret), per Microsoft's "certificate
 * credentials" and "workload identity federation" pages:
 * <ul>
 * <li>a certificate assertion ({@code iss} = {@code sub} = the client id) names an uploaded certificate by its
 * {@code x5t#S256} (or SHA-1 {@code x5t}) thumbprint, is signed with its key (RS256 or PS256), is addressed to the
 * token endpoint ({@code aud}), is within {@code nbf}..{@code exp}, and its {@code jti} is used once;</li>
 * <li>any other issuer's token is federated: it must match a federated credential of the app in issuer, subject
 * and audience ({@code api://AzureADTokenExchange} for Kubernetes), carry the issuer's signature and be within its
 * time. A projected service account token is presented many times while valid, so its {@code jti} may repeat.</li>
 * </ul>
 * Refusals carry Entra ID's codes: AADSTS700027 (certificate unknown, signature invalid), AADSTS700024 (outside the
 * valid time), AADSTS700023 (audience), AADSTS700021 (sub differs from client_id), AADSTS700211/700213/700212
 * (federated issuer, subject, audience). Entra ID documents no own code for a replayed {@code jti}; it is refused
 * with AADSTS50013, its documented "assertion is invalid" code.
 */
public final class ClientAssertions {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String KUBERNETES_AUDIENCE = "api://AzureADTokenExchange";

    /** The clock skew Entra ID tolerates on nbf and exp. */
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppCredentials credentials;
    private final Clock clock;
    private final Map<String, Instant> usedJtis = new ConcurrentHashMap<>();
    private volatile Duration offset = Duration.ZERO;

    public ClientAssertions(AppCredentials credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Entra ID's clock runs this much ahead of the client's: as seen by the client, its own clock is off. */
    public void skew(Duration ahead) {
        offset = ahead;
    }

    /** Whether the request authenticates the client with an assertion rather than a secret. */
    static boolean present(Map<String, String> form) {
        return form.containsKey("client_assertion") || form.containsKey("client_assertion_type");
    }

    /**
     * Accepts the request's client assertion for {@code clientId}, or refuses it as Entra ID would.
     *
     * @param tokenEndpoint the URL the request was sent to, the assertion's expected audience
     */
    void check(Map<String, String> form, String clientId, String tokenEndpoint) throws Refusal {
        if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
            throw new Refusal(new EntraError(400, "invalid_request", 700022, "The client_assertion_type"
                    + " parameter is missing or not '" + JWT_BEARER + "'."));
        }
        Jwt jwt = Jwt.parse(form.getOrDefault("client_assertion", ""))
                .orElseThrow(() -> new Refusal(new EntraError(401, "invalid_client", 50027,
                        "JWT token is invalid or malformed.")));
        String issuer = jwt.claim("iss");
        if (issuer.equalsIgnoreCase(clientId)) {
            checkCertificateAssertion(jwt, clientId, tokenEndpoint);
        } else {
            checkFederated(jwt, clientId);
        }
    }

    private void checkCertificateAssertion(Jwt jwt, String clientId, String tokenEndpoint) throws Refusal {
        if (!jwt.claim("sub").equalsIgnoreCase(clientId)) {
            throw invalidClient(700021, "Client assertion application identifier doesn't match 'client_id'"
                    + " parameter.");
        }
        if (jwt.audiences().stream().noneMatch(audience -> sameEndpoint(audience, tokenEndpoint))) {
            throw invalidClient(700023, "Client assertion audience claim does not match Realm issuer.");
        }
        String thumbprint = jwt.header("x5t#S256");
        boolean sha256 = !thumbprint.isEmpty();
        if (!sha256) {
            thumbprint = jwt.header("x5t");
        }
        byte[] named = decodeThumbprint(thumbprint);
        X509Certificate certificate = null;
        for (X509Certificate uploaded : credentials.certificates(clientId)) {
            if (MessageDigest.isEqual(thumbprint(uploaded, sha256), named)) {
                certificate = uploaded;
            }
        }
        if (certificate == null) {
            throw invalidClient(700027, "The certificate with identifier used to sign the client assertion is not"
                    + " registered on application. [Reason - The key was not found., Thumbprint of key used by"
                    + " client: '" + hex(thumbprint) + "', Please visit the Azure Portal, Graph Explorer or directly"
                    + " use MS Graph to see configured keys for app Id '" + clientId + "'.]");
        }
        if (!jwt.signedBy(certificate.getPublicKey())) {
            throw invalidClient(700027, "Client assertion failed signature validation. [Reason - The provided"
                    + " signature value did not match the expected signature value.]");
        }
        Instant expires = checkTime(jwt);
        String jti = jwt.claim("jti");
        Instant now = now();
        usedJtis.values().removeIf(until -> until.isBefore(now));
        if (jti.isEmpty() || usedJtis.putIfAbsent(clientId + " " + jti, expires.plus(SKEW)) != null) {
            throw invalidClient(50013, "Assertion is invalid: its jti is missing or was used before.");
        }
    }

    private void checkFederated(Jwt jwt, String clientId) throws Refusal {
        String issuer = jwt.claim("iss");
        String subject = jwt.claim("sub");
        List<String> audiences = jwt.audiences();
        List<AppCredentials.Federated> ofIssuer = credentials.federated(clientId).stream()
                .filter(credential -> credential.issuer().equals(issuer)).toList();
        String check = " Check your federated identity credential Subject, Audience and Issuer against the presented"
                + " assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";
        if (ofIssuer.isEmpty()) {
            throw invalidClient(700211, "No matching federated identity record found for presented assertion issuer"
                    + " '" + issuer + "'." + check);
        }
        List<AppCredentials.Federated> ofSubject = ofIssuer.stream()
                .filter(credential -> credential.subject().equals(subject)).toList();
        if (ofSubject.isEmpty()) {
            throw invalidClient(700213, "No matching federated identity record found for presented assertion subject"
                    + " '" + subject + "'." + check);
        }
        Optional<AppCredentials.Federated> match = ofSubject.stream()
                .filter(credential -> audiences.contains(credential.audience())).findFirst();
        if (match.isEmpty()) {
            throw invalidClient(700212, "No matching federated identity record found for presented assertion audience"
                    + " '" + String.join(",", audiences) + "'." + check);
        }
        if (!jwt.signedBy(match.get().issuerKey())) {
            throw invalidClient(700027, "Client assertion failed signature validation. [Reason - The provided"
                    + " signature value did not match the expected signature value.]");
        }
        checkTime(jwt);
    }

    /** The assertion's expiry, when now is within nbf and exp (give or take the skew). */
    private Instant checkTime(Jwt jwt) throws Refusal {
        Instant now = now();
        Instant notBefore = Instant.ofEpochSecond(jwt.seconds("nbf").orElse(0L));
        Optional<Long> exp = jwt.seconds("exp");
        Instant expires = Instant.ofEpochSecond(exp.orElse(0L));
        if (exp.isEmpty() || now.isBefore(notBefore.minus(SKEW)) || !now.isBefore(expires.plus(SKEW))) {
            throw invalidClient(700024, "Client assertion is not within its valid time range. Current time: " + now
                    + ", assertion valid from " + notBefore + ", expiry time of assertion " + expires + ".");
        }
        return expires;
    }

    private Instant now() {
        return clock.instant().plus(offset);
    }

    /** Entra ID accepts its v2.0 and v1.0 token endpoints as the audience. */
    private static boolean sameEndpoint(String audience, String tokenEndpoint) {
        String v1 = tokenEndpoint.replace("/oauth2/v2.0/token", "/oauth2/token");
        return audience.equalsIgnoreCase(tokenEndpoint) || audience.equalsIgnoreCase(v1);
    }

    private static byte[] thumbprint(X509Certificate certificate, boolean sha256) {
        try {
            return MessageDigest.getInstance(sha256 ? "SHA-256" : "SHA-1").digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hash an uploaded certificate", e);
        }
    }

    /**
     * RFC 7515 says base64url; MSAL4J 1.26 sends standard Base64 with padding, which Entra ID accepts as well (it
     * is the library Microsoft ships for Java), so both decode to the same digest here.
     */
    private static byte[] decodeThumbprint(String encoded) {
        try {
            return Base64.getUrlDecoder().decode(encoded.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String hex(String thumbprint) {
        return HexFormat.of().withUpperCase().formatHex(decodeThumbprint(thumbprint));
    }

    private static Refusal invalidClient(int code, String text) {
        return new Refusal(new EntraError(401, "invalid_client", code, text));
    }

    /** An assertion Entra ID refuses, with its error. */
    static final class Refusal extends Exception {
        private final transient EntraError error;

        Refusal(EntraError error) {
            super(error.text(), null, false, false);
            this.error = error;
        }

        EntraError error() {
            return error;
        }
    }

    /** A compact JWS: header and claims as JSON, the signature over {@code header.payload}. */
    private record Jwt(JsonNode header, JsonNode claims, byte[] signedPart, byte[] signature) {

        static Optional<Jwt> parse(String compact) {
            String[] parts = compact.split("\\.", -1);
            if (parts.length != 3) {
                return Optional.empty();
            }
            try {
                Base64.Decoder decoder = Base64.getUrlDecoder();
                JsonNode header = JSON.readTree(decoder.decode(parts[0]));
                JsonNode claims = JSON.readTree(decoder.decode(parts[1]));
                if (!header.isObject() || !claims.isObject()) {
                    return Optional.empty();
                }
                return Optional.of(new Jwt(header, claims, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                        decoder.decode(parts[2])));
            } catch (java.io.IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        String header(String name) {
            return header.path(name).asText("");
        }

        String claim(String name) {
            return claims.path(name).asText("");
        }

        /** {@code aud} is a string or, as in Kubernetes tokens, an array of them. */
        List<String> audiences() {
            JsonNode aud = claims.path("aud");
            if (aud.isArray()) {
                List<String> all = new java.util.ArrayList<>();
                aud.forEach(value -> all.add(value.asText("")));
                return all;
            }
            return List.of(aud.asText(""));
        }

        Optional<Long> seconds(String name) {
            JsonNode value = claims.path(name);
            return value.canConvertToLong() ? Optional.of(value.asLong()) : Optional.empty();
        }

        boolean signedBy(PublicKey key) {
            try {
                Signature verifier;
                switch (header("alg")) {
                    case "RS256" -> verifier = Signature.getInstance("SHA256withRSA");
                    case "PS256" -> {
                        verifier = Signature.getInstance("RSASSA-PSS");
                        verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                    }
                    default -> {
                        return false;
                    }
                }
                verifier.initVerify(key);
                verifier.update(signedPart);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }
}
