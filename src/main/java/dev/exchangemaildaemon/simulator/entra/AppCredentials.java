package dev.exchangemaildaemon.simulator.entra;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The credentials of app registrations besides a client secret, as an admin adds them under Certificates &amp;
 * secrets: uploaded certificates (their public part), and federated credentials trusting tokens of an outside
 * issuer (a Kubernetes cluster's service account tokens).
 */
public final class AppCredentials {

    /**
     * A federated identity credential: tokens of {@code issuer} about {@code subject} for {@code audience}.
     * {@code issuerKey} stands for the key Entra ID fetches from the issuer's OpenID discovery document (its JWKS).
     */
    public record Federated(String issuer, String subject, String audience, PublicKey issuerKey) {
    }

    private final Map<String, List<X509Certificate>> certificates = new ConcurrentHashMap<>();
    private final Map<String, List<Federated>> federated = new ConcurrentHashMap<>();

    public void uploadCertificate(String clientId, X509Certificate certificate) {
        certificates.computeIfAbsent(key(clientId), key -> new CopyOnWriteArrayList<>()).add(certificate);
    }

    /** Deletes an uploaded certificate, as an admin does with the old one once its renewal is uploaded. */
    public void removeCertificate(String clientId, X509Certificate certificate) {
        certificates.getOrDefault(key(clientId), List.of()).remove(certificate);
    }

    public void addFederated(String clientId, Federated credential) {
        federated.computeIfAbsent(key(clientId), key -> new CopyOnWriteArrayList<>()).add(credential);
    }

    List<X509Certificate> certificates(String clientId) {
        return certificates.getOrDefault(key(clientId), List.of());
    }

    List<Federated> federated(String clientId) {
        return federated.getOrDefault(key(clientId), List.of());
    }

    private static String key(String clientId) {
        return clientId.toLowerCase(Locale.ROOT);
    }
}
