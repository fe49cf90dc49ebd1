package dev.exchangemaildaemon.config;

import java.io.File;
import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.source.file.FileSystemConfigSource;

/**
 * Secrets as files: each file in {@code $CREDENTIALS_DIRECTORY} is a configuration value named like the file,
 * so {@code ${MAIL_CLIENT_SECRET}} in the YAML resolves from the file {@code MAIL_CLIENT_SECRET}. systemd's
 * {@code LoadCredential=} fills that directory; a mounted Kubernetes Secret can be named by it too.
 * Environment variables take precedence; without the variable or the directory this adds nothing.
 */
public class CredentialsDirectory implements ConfigSourceFactory {

    /** Below environment variables (300), above the configuration files (250 to 265). */
    private static final int ORDINAL = 290;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String directory = System.getenv("CREDENTIALS_DIRECTORY");
        if (directory == null || !new File(directory).isDirectory()) {
            return List.of();
        }
        return List.of(new FileSystemConfigSource(new File(directory), ORDINAL));
    }
}
