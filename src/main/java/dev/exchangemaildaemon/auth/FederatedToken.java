package dev.exchangemaildaemon.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Kubernetes service account token that Azure Workload Identity projects into the pod, presented to Entra ID as
 * the app's client assertion. The kubelet replaces the file before the token expires (within 24 hours), so it is read
 * anew for every token request and never kept.
 */
public final class FederatedToken {

    /** The code of a token file that cannot be read. */
    public static final String UNREADABLE = "FEDERATED_TOKEN_UNREADABLE";

    private final Path file;

    FederatedToken(Path file) {
        this.file = file;
    }

    /** The token as it is now in the file. */
    String read() throws TokenException {
        try {
            String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (token.isEmpty()) {
                throw new IOException("the file is empty");
            }
            return token;
        } catch (IOException e) {
            throw new TokenException(UNREADABLE, "mail.entra.federated-token-file (AZURE_FEDERATED_TOKEN_FILE): cannot"
                    + " read " + file.toAbsolutePath() + ": " + e.getMessage(), null);
        }
    }
}
