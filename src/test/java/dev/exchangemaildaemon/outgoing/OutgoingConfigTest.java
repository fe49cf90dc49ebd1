package dev.exchangemaildaemon.outgoing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.config.ConfigRules;
import dev.exchangemaildaemon.config.MailConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The outgoing keys an admin can get wrong are refused at startup, each naming its key and never a secret. */
class OutgoingConfigTest {

    private static final String SECRET = "s3cr3t-value";

    @TempDir
    Path dir;

    private Map<String, String> valid() {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.tenant-id", "11111111-2222-3333-4444-555555555555");
        keys.put("mail.entra.client-id", "66666666-7777-8888-9999-000000000000");
        keys.put("mail.entra.client-secret", SECRET);
        keys.put("mail.incoming.maildir", dir.resolve("maildir").toString());
        keys.put("mail.incoming.state-dir", dir.resolve("state").toString());
        keys.put("mail.incoming.mailboxes[0].address", "invoices@contoso.com");
        keys.put("mail.outgoing.senders[0]", "erp@contoso.com");
        keys.put("mail.outgoing.smtp.enabled", "true");
        keys.put("mail.outgoing.pickup", dir.resolve("pickup").toString());
        return keys;
    }

    private static List<String> problems(Map<String, String> keys) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(MailConfig.class)
                .withSources(new PropertiesConfigSource(keys, "test", 100))
                .build();
        return ConfigRules.problems(config.getConfigMapping(MailConfig.class));
    }

    private static void assertOneProblemMentioning(Map<String, String> keys, String fragment) {
        List<String> problems = problems(keys);
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        assertTrue(problems.get(0).contains(fragment), () -> "'" + fragment + "' not in " + problems);
        assertFalse(problems.get(0).contains(SECRET));
    }

    @Test
    void aValidOutgoingConfigurationHasNoProblem() {
        assertEquals(List.of(), problems(valid()));
    }

    @Test
    void smtpWithoutSendersIsRefused() {
        Map<String, String> keys = valid();
        keys.remove("mail.outgoing.senders[0]");
        assertOneProblemMentioning(keys, "mail.outgoing.senders is empty");
    }

    @Test
    void aSenderThatIsNoAddressIsRefused() {
        Map<String, String> keys = valid();
        keys.put("mail.outgoing.senders[0]", "erp");
        assertOneProblemMentioning(keys, "mail.outgoing.senders[0] 'erp' is not an email address");
    }

    @Test
    void theEntraSecretAsSmtpPasswordIsRefused() {
        Map<String, String> keys = valid();
        keys.put("mail.outgoing.smtp.username", "erp");
        keys.put("mail.outgoing.smtp.password", SECRET);
        assertOneProblemMentioning(keys, "mail.outgoing.smtp.password is the Entra ID client secret");
    }

    @Test
    void anSmtpUsernameWithoutPasswordIsRefused() {
        Map<String, String> keys = valid();
        keys.put("mail.outgoing.smtp.username", "erp");
        assertOneProblemMentioning(keys, "mail.outgoing.smtp.username and mail.outgoing.smtp.password go together");
    }

    @Test
    void anSmtpPortOnTheNetworkNeedsAuthAfterStartTls() throws Exception {
        Map<String, String> keys = valid();
        keys.put("mail.outgoing.smtp.host", "0.0.0.0");
        assertOneProblemMentioning(keys, "mail.outgoing.smtp.host 0.0.0.0 is not a loopback address");
        keys.put("mail.outgoing.smtp.username", "erp");
        keys.put("mail.outgoing.smtp.password", "local-pw");
        assertOneProblemMentioning(keys, "set mail.outgoing.smtp.username, password and key-store");
        keys.put("mail.outgoing.smtp.key-store", Files.createFile(dir.resolve("smtp.p12")).toString());
        assertEquals(List.of(), problems(keys));

        keys.put("mail.outgoing.smtp.host", "erp-gateway.contoso.local");
        assertEquals(List.of(), problems(keys), "a name, with AUTH and STARTTLS");
        keys.remove("mail.outgoing.smtp.key-store");
        assertOneProblemMentioning(keys, "mail.outgoing.smtp.host erp-gateway.contoso.local is not a loopback");
    }

    @Test
    void anSmtpPortOnALoopbackAddressNeedsNoAuth() {
        for (String host : List.of("127.0.0.1", "127.0.1.1", "localhost", "::1", "[::1]")) {
            Map<String, String> keys = valid();
            keys.put("mail.outgoing.smtp.host", host);
            assertEquals(List.of(), problems(keys), host);
        }
    }

    @Test
    void inTheUserNamePasswordFlowASenderNeedsAPassword() {
        Map<String, String> keys = valid();
        keys.remove("mail.entra.client-secret");
        keys.put("mail.entra.auth-flow", "username-password");
        keys.put("mail.incoming.mailboxes[0].password", "pw");
        assertOneProblemMentioning(keys, "mail.outgoing.senders[0] erp@contoso.com has no password");
    }

    @Test
    void aNegativePickupSettleTimeIsRefused() {
        Map<String, String> keys = valid();
        keys.put("mail.outgoing.pickup-settle", "-PT1S");
        assertOneProblemMentioning(keys, "mail.outgoing.pickup-settle must not be negative");
    }
}
