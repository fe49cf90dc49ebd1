package dev.exchangemaildaemon.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the Azure Workload Identity webhook injects into a pod: the path of the projected service account token
 * ({@code AZURE_FEDERATED_TOKEN_FILE}). {@code mail.entra.federated-token-file} overrides it.
 */
public final class WorkloadIdentity {

    static final String TOKEN_FILE_VARIABLE = "AZURE_FEDERATED_TOKEN_FILE";

    private WorkloadIdentity() {
    }

    public static Optional<Path> tokenFile(MailConfig.Entra entra) {
        return entra.federatedTokenFile().or(() -> Optional.ofNullable(System.getenv(TOKEN_FILE_VARIABLE))
                .filter(value -> !value.isBlank()).map(Path::of));
    }
}
