package dev.exchangemaildaemon.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.testing.Jwts;
import dev.exchangemaildaemon.testing.TestCertificates;

/**
 * The simulated Entra ID checks client assertions as Microsoft documents for certificate credentials and workload
 * identity federation, and refuses the rest with Entra ID's codes in its error body: hand-made assertions, each
 * wrong in one way.
 */
class ClientAssertionRulesTest {

    private static final String APP = "dddddddd-1111-2222-3333-444444444444";
    private static final String ISSUER = "https://oidc.prod-aks.azure.com/tenant-guid/cluster-guid/";
    private static final String SUBJECT = "system:serviceaccount:exchange-mail-daemon:exchange-mail-daemon";
    private static final String AUDIENCE = "api://AzureADTokenExchange";

    @TempDir
    static Path dir;
    private static ExchangeSimulator simulator;
    private static SimulatorClient client;
    private static TestCertificates certificate;
    private static KeyPair issuerKeys;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0).registerApp(APP, UUID.randomUUID().toString());
        client = new SimulatorClient(simulator);
        certificate = TestCertificates.create(dir, "rules", 365);
        simulator.uploadCertificate(APP, certificate.x509());
        issuerKeys = Jwts.rsaKeys();
        simulator.addFederatedCredential(APP, ISSUER, SUBJECT, AUDIENCE, issuerKeys.getPublic());
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static String tokenEndpoint() {
        return simulator.baseUri() + "/" + simulator.tenantId() + "/oauth2/v2.0/token";
    }

    /** A valid certificate assertion's claims, as MSAL4J builds them. */
    private static Map<String, Object> certificateClaims() {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", tokenEndpoint());
        claims.put("iss", APP);
        claims.put("sub", APP);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("nbf", now);
        claims.put("exp", now + 600);
        return claims;
    }

    private static Map<String, Object> certificateHeader() {
        return Map.of("alg", "RS256", "typ", "JWT", "x5t#S256", certificate.sha256Thumbprint());
    }

    private static HttpResponse<String> present(String assertion) throws Exception {
        return client.token(Map.of("grant_type", "client_credentials", "client_id", APP, "scope",
                "https://outlook.office365.com/.default", "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", assertion));
    }

    private static void assertRefused(HttpResponse<String> response, int code) {
        assertEquals(401, response.statusCode(), response::body);
        assertTrue(response.body().contains("\"error\":\"invalid_client\""), response::body);
        assertTrue(response.body().contains("\"error_description\":\"AADSTS" + code + ": "), response::body);
        assertTrue(response.body().contains("\"error_codes\":[" + code + "]"), response::body);
    }

    private static String sign(PrivateKey key, Map<String, Object> header, Map<String, Object> claims) {
        return Jwts.rs256(key, header, claims);
    }

    @Test
    void aValidCertificateAssertionGetsATokenOnceAndItsReplayIsRefused() throws Exception {
        String assertion = sign(certificate.key(), certificateHeader(), certificateClaims());
        SimulatorClient.accessToken(present(assertion));
        assertRefused(present(assertion), 50013);
    }

    @Test
    void anAssertionForAnotherAudienceIsRefused() throws Exception {
        Map<String, Object> claims = certificateClaims();
        claims.put("aud", "https://login.microsoftonline.com/" + simulator.tenantId() + "/oauth2/v2.0/token");
        assertRefused(present(sign(certificate.key(), certificateHeader(), claims)), 700023);
    }

    @Test
    void anExpiredOrNotYetValidAssertionIsRefused() throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> expired = certificateClaims();
        expired.put("nbf", now - 3600);
        expired.put("exp", now - 3000);
        assertRefused(present(sign(certificate.key(), certificateHeader(), expired)), 700024);
        Map<String, Object> early = certificateClaims();
        early.put("nbf", now + 3600);
        early.put("exp", now + 4200);
        assertRefused(present(sign(certificate.key(), certificateHeader(), early)), 700024);
    }

    @Test
    void anAssertionSignedWithAnotherKeyOrNamingAnotherCertificateIsRefused() throws Exception {
        assertRefused(present(sign(Jwts.rsaKeys().getPrivate(), certificateHeader(), certificateClaims())), 700027);
        Map<String, Object> unknown = new HashMap<>(certificateHeader());
        unknown.put("x5t#S256", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertRefused(present(sign(certificate.key(), unknown, certificateClaims())), 700027);
    }

    /** A Kubernetes service account token, as the kubelet projects it. */
    private static Map<String, Object> federatedClaims() {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", java.util.List.of(AUDIENCE));
        claims.put("iss", ISSUER);
        claims.put("sub", SUBJECT);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 3600);
        return claims;
    }

    private static String federated(Map<String, Object> claims) {
        return sign(issuerKeys.getPrivate(), Map.of("alg", "RS256", "kid", "k1"), claims);
    }

    @Test
    void aFederatedTokenMatchingTheCredentialGetsTokensEachTimeItIsPresented() throws Exception {
        String token = federated(federatedClaims());
        SimulatorClient.accessToken(present(token));
        SimulatorClient.accessToken(present(token)); // the same projected token serves until it rotates
    }

    @Test
    void aFederatedTokenMismatchingIssuerSubjectOrAudienceIsRefusedByWhichOne() throws Exception {
        Map<String, Object> issuer = federatedClaims();
        issuer.put("iss", "https://kubernetes.default.svc.cluster.local");
        assertRefused(present(federated(issuer)), 700211);
        Map<String, Object> subject = federatedClaims();
        subject.put("sub", "system:serviceaccount:default:default");
        assertRefused(present(federated(subject)), 700213);
        Map<String, Object> audience = federatedClaims();
        audience.put("aud", java.util.List.of("api://other"));
        assertRefused(present(federated(audience)), 700212);
        Map<String, Object> expired = federatedClaims();
        expired.put("exp", Instant.now().getEpochSecond() - 3600);
        assertRefused(present(federated(expired)), 700024);
        assertRefused(present(sign(Jwts.rsaKeys().getPrivate(), Map.of("alg", "RS256"), federatedClaims())), 700027);
    }
}
