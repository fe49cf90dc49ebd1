package dev.exchangemaildaemon.packaged;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged daemon refuses a broken configuration file: non-zero exit, and each problem names its key. */
class InvalidConfigIT {

    @TempDir
    Path dir;

    @Test
    void startupStopsWithEveryProblemNamedByKey() throws IOException, InterruptedException {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                mail:
                  entra:
                    client-id: 66666666-7777-8888-9999-000000000000
                    auth-flow: username-password
                  send:
                    sender: erp@contoso.com
                    password: ${MAIL_SEND_PASSWORD}
                  incoming:
                    poll-interval: 0
                    maildir: %s
                    state-dir: %s
                    mailboxes:
                      - address: invoices@contoso.com
                      - address: INVOICES@contoso.com
                        password: the-password-Zr7
                """.formatted(dir.resolve("maildir"), dir.resolve("state")));
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        ProcessBuilder start = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile())
                .directory(dir.toFile());
        start.environment().put("QUARKUS_CONFIG_LOCATIONS", config.toString());
        // A secret from a credentials directory (systemd LoadCredential=): resolved, so not reported missing.
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("MAIL_SEND_PASSWORD"), "send-password-Q5\n");
        start.environment().put("CREDENTIALS_DIRECTORY", credentials.toString());
        Process daemon = start.start();
        boolean exited = daemon.waitFor(60, TimeUnit.SECONDS);
        String output = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
        if (!exited) {
            daemon.destroyForcibly();
        }
        assertTrue(exited, "still running: " + output);
        assertNotEquals(0, daemon.exitValue(), output);
        for (String expected : List.of("mail.entra.tenant-id is missing", "mail.incoming.mailboxes[0].password is missing",
                "mail.incoming.poll-interval must be positive", "mail.incoming.mailboxes[1].address")) {
            assertTrue(output.contains(expected), () -> "'" + expected + "' not in:\n" + output);
        }
        assertTrue(!output.contains("mail.send.password"), "the credentials file supplies it:\n" + output);
        assertTrue(!output.contains("the-password-Zr7") && !output.contains("send-password-Q5"), output);
    }
}
