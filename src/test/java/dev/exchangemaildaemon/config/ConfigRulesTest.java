package dev.exchangemaildaemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Each invalid configuration an admin can write is refused with a message that names the key. */
class ConfigRulesTest {

    @TempDir
    Path dir;

    private Map<String, String> valid() {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.tenant-id", "11111111-2222-3333-4444-555555555555");
        keys.put("mail.entra.client-id", "66666666-7777-8888-9999-000000000000");
        keys.put("mail.entra.auth-flow", "client-secret");
        keys.put("mail.entra.client-secret", "s3cr3t-value");
        keys.put("mail.incoming.maildir", dir.resolve("maildir").toString());
        keys.put("mail.incoming.state-dir", dir.resolve("state").toString());
        keys.put("mail.incoming.mailboxes[0].address", "invoices@contoso.com");
        return keys;
    }

    private static MailConfig load(Map<String, String> keys) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(MailConfig.class)
                .withSources(new PropertiesConfigSource(keys, "test", 100))
                .build();
        return config.getConfigMapping(MailConfig.class);
    }

    private static List<String> problems(Map<String, String> keys) {
        return ConfigRules.problems(load(keys));
    }

    private static void assertOneProblemMentioning(Map<String, String> keys, String... fragments) {
        List<String> problems = problems(keys);
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        for (String fragment : fragments) {
            assertTrue(problems.get(0).contains(fragment), () -> "'" + fragment + "' not in " + problems);
        }
    }

    @Test
    void validConfigurationHasNoProblemAndCreatesItsDirectories() {
        assertEquals(List.of(), problems(valid()));
        assertTrue(Files.isDirectory(dir.resolve("maildir")));
        assertTrue(Files.isDirectory(dir.resolve("state")));
    }

    @Test
    void missingTenantId() {
        Map<String, String> keys = valid();
        keys.remove("mail.entra.tenant-id");
        assertOneProblemMentioning(keys, "mail.entra.tenant-id");
    }

    @Test
    void unknownAuthFlowNamesTheKey() {
        Map<String, String> keys = valid();
        keys.put("mail.entra.auth-flow", "device-code");
        RuntimeException error = assertThrows(RuntimeException.class, () -> load(keys));
        assertTrue(error.getMessage().contains("mail.entra.auth-flow"), error.getMessage());
    }

    @Test
    void clientSecretFlowWithoutSecret() {
        Map<String, String> keys = valid();
        keys.remove("mail.entra.client-secret");
        assertOneProblemMentioning(keys, "mail.entra.client-secret");
    }

    @Test
    void usernamePasswordFlowWithoutMailboxPassword() {
        Map<String, String> keys = valid();
        keys.remove("mail.entra.client-secret");
        keys.put("mail.entra.auth-flow", "username-password");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].password");
    }

    @Test
    void bothFlowsSecretsPresent() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.mailboxes[0].password", "user-password");
        assertOneProblemMentioning(keys, "only one authentication method can be active at a time");
    }

    @Test
    void secretsNeverAppearInProblems() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.mailboxes[0].password", "user-password-42");
        keys.remove("mail.entra.tenant-id");
        String all = String.join("\n", problems(keys));
        assertTrue(!all.contains("s3cr3t-value") && !all.contains("user-password-42"), all);
    }

    @Test
    void unparsablePollIntervalNamesTheKey() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.poll-interval", "every hour");
        RuntimeException error = assertThrows(RuntimeException.class, () -> load(keys).incoming().pollInterval());
        assertTrue(error.getMessage().contains("mail.incoming.poll-interval"), error.getMessage());
    }

    @Test
    void zeroOrNegativePollInterval() {
        for (String interval : new String[] { "0", "PT-5M" }) {
            Map<String, String> keys = valid();
            keys.put("mail.incoming.poll-interval", interval);
            assertOneProblemMentioning(keys, "mail.incoming.poll-interval", "positive");
        }
    }

    /** A zero timeout used to reach the HTTP client's builder and stop the start with a stack trace. */
    @Test
    void zeroOrNegativeTimeoutsAndIntervals() {
        for (String key : new String[] { "mail.entra.token-timeout", "mail.exchange.request-timeout",
                "mail.outgoing.pickup-interval", "mail.send.rate-window" }) {
            for (String value : new String[] { "PT0S", "PT-5S" }) {
                Map<String, String> keys = valid();
                keys.put(key, value);
                assertOneProblemMentioning(keys, key, "must be positive");
            }
        }
        Map<String, String> keys = valid();
        keys.put("mail.check.retry-for", "PT-1S");
        assertOneProblemMentioning(keys, "mail.check.retry-for", "must not be negative");
        keys.put("mail.check.retry-for", "PT0S");
        assertEquals(List.of(), problems(keys), "no retrying is a choice");
    }

    @Test
    void pollIntervalBareNumberIsMinutes() {
        Map<String, String> keys = valid();
        for (var example : Map.of("60", Duration.ofHours(1), "0.5", Duration.ofSeconds(30), "90s",
                Duration.ofSeconds(90), "2h", Duration.ofHours(2), "PT15M", Duration.ofMinutes(15)).entrySet()) {
            keys.put("mail.incoming.poll-interval", example.getKey());
            assertEquals(example.getValue(), load(keys).incoming().pollInterval(), example.getKey());
        }
    }

    @Test
    void noMailboxes() {
        Map<String, String> keys = valid();
        keys.remove("mail.incoming.mailboxes[0].address");
        String message;
        try {
            message = String.join("\n", problems(keys));
        } catch (RuntimeException e) {
            message = e.getMessage();
        }
        assertTrue(message.contains("mail.incoming.mailboxes"), message);
    }

    @Test
    void duplicateMailboxAddressIgnoringCase() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.mailboxes[1].address", "Invoices@Contoso.com");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[1].address", "twice");
    }

    @Test
    void testSendRateLimitNeedsAtLeastOneSendPerPositiveWindow() {
        Map<String, String> keys = valid();
        keys.put("mail.send.rate-limit", "0");
        assertOneProblemMentioning(keys, "mail.send.rate-limit", "at least 1");
        keys = valid();
        keys.put("mail.send.rate-window", "PT0S");
        assertOneProblemMentioning(keys, "mail.send.rate-window", "positive");
    }

    @Test
    void plainHttpUrlsAreRefusedNamingTheKey() {
        for (String key : List.of("mail.entra.authority-host", "mail.exchange.ews-url", "mail.exchange.graph-url")) {
            Map<String, String> keys = valid();
            keys.put(key, "http://user:pa55word@exchange.contoso.com/path");
            assertOneProblemMentioning(keys, key, "https://", "clear text", "mail.exchange.allow-insecure-http");
            assertTrue(!problems(keys).get(0).contains("pa55word"), "no credentials from the URL");
            keys.put("mail.exchange.allow-insecure-http", "true");
            assertEquals(List.of(), problems(keys), "allowed for a test server");
        }
    }

    @Test
    void aUrlWithoutHttpsIsRefusedEvenWhenHttpIsAllowed() {
        Map<String, String> keys = valid();
        keys.put("mail.exchange.allow-insecure-http", "true");
        keys.put("mail.exchange.ews-url", "ftp://exchange.contoso.com/EWS/Exchange.asmx");
        assertOneProblemMentioning(keys, "mail.exchange.ews-url", "https://");
    }

    @Test
    void unwritableMaildir() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Map<String, String> keys = valid();
        keys.put("mail.incoming.maildir", file.resolve("maildir").toString());
        assertOneProblemMentioning(keys, "mail.incoming.maildir", "not writable");
    }

    @Test
    void anAddressThatWouldNameAPathOutsideTheMaildirIsRefusedNamingTheKey() {
        for (String address : new String[] { "../../escaped@contoso.com", "a@b/../../victim", "a\\b@contoso.com",
                "in voices@contoso.com", "invoices@contoso..com", "bell\u0007@contoso.com", "x@.." }) {
            Map<String, String> keys = valid();
            keys.put("mail.incoming.mailboxes[0].address", address);
            assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].address", "not an email address");
        }
    }

    @Test
    void anAddressListedTwiceInAnyCaseIsFoundInTurkeyToo() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
        try {
            Map<String, String> keys = valid();
            keys.put("mail.incoming.mailboxes[0].address", "INFO@contoso.com");
            keys.put("mail.incoming.mailboxes[1].address", "info@contoso.com");
            assertOneProblemMentioning(keys, "mail.incoming.mailboxes[1].address", "listed twice");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void aTargetMissingWhatItsTypeNeedsNamesTheKeyOnceForTheDefault() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.mailboxes[1].address", "orders@contoso.com");
        keys.put("mail.incoming.target.type", "lmtp");
        assertOneProblemMentioning(keys, "mail.incoming.target.lmtp is missing");

        keys = valid();
        keys.put("mail.incoming.mailboxes[0].target.type", "command");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].target.command is missing");
    }

    @Test
    void aBadLmtpAddressTimeoutOrRecipientNamesTheKey() {
        for (String[] bad : new String[][] { { "lmtp", "localhost", "neither a Unix socket's path" },
                { "lmtp", "localhost:99999", "no port number" }, { "timeout", "PT0S", "must be positive" },
                { "recipient", "someone <x@y>", "not an email address" } }) {
            Map<String, String> keys = valid();
            keys.put("mail.incoming.mailboxes[0].target.type", "lmtp");
            keys.put("mail.incoming.mailboxes[0].target.lmtp", "/run/dovecot/lmtp");
            keys.put("mail.incoming.mailboxes[0].target." + bad[0], bad[1]);
            assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].target." + bad[0], bad[2]);
        }
    }

    @Test
    void aMaildirPathBelongsToOneMailboxAndToTheMaildirType() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.target.path", dir.resolve("shared").toString());
        assertOneProblemMentioning(keys, "mail.incoming.target.path", "in that mailbox's target");

        keys = valid();
        keys.put("mail.incoming.target.type", "command");
        keys.put("mail.incoming.target.command[0]", "/bin/cat");
        keys.put("mail.incoming.mailboxes[0].target.path", dir.resolve("mine").toString());
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].target.path", "type maildir",
                "the type is command");
        keys = valid();
        keys.put("mail.incoming.max-commands", "0");
        assertOneProblemMentioning(keys, "mail.incoming.max-commands");
    }

    @Test
    void aMailboxTakesWhatItsOwnTargetLeavesOutFromTheDefault() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.target.type", "command");
        keys.put("mail.incoming.target.command[0]", "/bin/cat");
        keys.put("mail.incoming.target.timeout", "PT30S");
        keys.put("mail.incoming.mailboxes[0].target.command[0]", "/usr/bin/env");
        keys.put("mail.incoming.mailboxes[1].address", "orders@contoso.com");
        keys.put("mail.incoming.mailboxes[1].target.type", "maildir");
        keys.put("mail.incoming.mailboxes[1].target.path", dir.resolve("orders").toString());
        MailConfig config = load(keys);

        assertEquals(List.of(), ConfigRules.problems(config));
        TargetSettings invoices = TargetSettings.of(config.incoming().target(),
                config.incoming().mailboxes().get(0).target(), "k", "invoices@contoso.com");
        assertEquals(MailConfig.TargetType.COMMAND, invoices.type());
        assertEquals(List.of("/usr/bin/env"), invoices.command());
        assertEquals(java.time.Duration.ofSeconds(30), invoices.timeout());
        assertEquals("invoices@contoso.com", invoices.recipient());
        TargetSettings orders = TargetSettings.of(config.incoming().target(),
                config.incoming().mailboxes().get(1).target(), "k", "orders@contoso.com");
        assertEquals(MailConfig.TargetType.MAILDIR, orders.type());
        assertEquals(java.util.Optional.of(dir.resolve("orders")), orders.path());
    }

    @Test
    void aFolderListedTwiceOrItsTargetMissingWhatItNeedsNamesTheFolderKey() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.mailboxes[0].folders[0].name", "inbox");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", "Invoices");
        keys.put("mail.incoming.mailboxes[0].folders[2].name", "INBOX");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].folders[2]", "listed twice");

        keys = valid();
        keys.put("mail.incoming.mailboxes[0].folders[0].name", "inbox");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", "Invoices");
        keys.put("mail.incoming.mailboxes[0].folders[1].target.type", "command");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].folders[1].target.command is missing");
    }

    @Test
    void aFolderPathWithAnEmptyDisplayNameIsRefusedNamingTheKey() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.mailboxes[0].folder", "Invoices//Incoming");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].folder ", "'Invoices//Incoming'", "empty");

        keys = valid();
        keys.put("mail.incoming.mailboxes[0].folders[0].name", "Invoices/Incoming");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", "/Invoices");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].folders[1] ", "'/Invoices'", "empty");

        keys = valid();
        keys.put("mail.incoming.after-delivery", "move");
        keys.put("mail.incoming.move-to-folder", "Processed/2026/");
        assertOneProblemMentioning(keys, "mail.incoming.move-to-folder ", "'Processed/2026/'", "empty");
        keys.put("mail.incoming.move-to-folder", "Processed/2026");
        assertEquals(List.of(), problems(keys));

        keys = valid();
        keys.put("mail.incoming.mailboxes[0].folders[0].name", "Invoices/Incoming");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", "invoices / incoming");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].folders[1]", "listed twice");
    }

    @Test
    void aSlashInsideADisplayNameIsEscapedAndGetsAMaildirSubfolderOfItsOwn() {
        Map<String, String> keys = valid();
        keys.put("mail.incoming.mailboxes[0].folders[0].name", "Inbox/A\\/P Invoices");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", "Inbox/A/P Invoices");
        assertEquals(List.of(), problems(keys), "the folder 'A/P Invoices' is not the folder 'P Invoices' in 'A'");
        List<FolderSettings> folders = FolderSettings.of(load(keys).incoming(), load(keys).incoming().mailboxes().get(0),
                0);
        assertEquals(List.of(".Inbox.A_P Invoices", ".Inbox.A.P Invoices"),
                folders.stream().map(folder -> folder.maildirSubfolder().orElseThrow()).toList());

        keys.put("mail.incoming.mailboxes[0].folders[1].name", "Inbox/A_P Invoices");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].folders[1] ", "Maildir++ subfolder .Inbox.A_P Invoices",
                "target.path");
        keys.put("mail.incoming.mailboxes[0].folders[1].target.path", dir.resolve("ap-underscore").toString());
        assertEquals(List.of(), problems(keys), "a path of its own");

        keys.remove("mail.incoming.mailboxes[0].folders[1].target.path");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", "Inbox\\Orders");
        assertOneProblemMentioning(keys, "mail.incoming.mailboxes[0].folders[1] ", "'Inbox\\Orders'", "\\/");
    }

    @Test
    void certificateFlowNeedsTheCertificateAndItsKeyOrAStoreAndNoSecret() {
        Map<String, String> keys = valid();
        keys.put("mail.entra.auth-flow", "client-certificate");
        keys.remove("mail.entra.client-secret");
        assertOneProblemMentioning(keys, "mail.entra.certificate", "mail.entra.certificate-store");
        keys.put("mail.entra.certificate", "/etc/exchange-mail-daemon/app.crt.pem");
        assertOneProblemMentioning(keys, "mail.entra.private-key is missing");
        keys.put("mail.entra.private-key", "/etc/exchange-mail-daemon/app.key.pem");
        assertEquals(List.of(), problems(keys));
        keys.put("mail.entra.certificate-store", "/etc/exchange-mail-daemon/app.p12");
        assertOneProblemMentioning(keys, "mail.entra.certificate-store and mail.entra.certificate/private-key");
        keys.remove("mail.entra.certificate-store");
        keys.put("mail.entra.client-secret", "s3cr3t-value");
        assertOneProblemMentioning(keys, "mail.entra.client-secret is set", "client-certificate");
    }

    @Test
    void workloadIdentityNeedsATokenFile() {
        Map<String, String> keys = valid();
        keys.put("mail.entra.auth-flow", "workload-identity");
        keys.remove("mail.entra.client-secret");
        if (System.getenv("AZURE_FEDERATED_TOKEN_FILE") == null) {
            assertOneProblemMentioning(keys, "mail.entra.federated-token-file", "AZURE_FEDERATED_TOKEN_FILE");
        }
        keys.put("mail.entra.federated-token-file", "/var/run/secrets/azure/tokens/azure-identity-token");
        assertEquals(List.of(), problems(keys));
    }

    @Test
    void proxyUrlMustBeHttpAndNamesTheKey() {
        Map<String, String> keys = valid();
        keys.put("mail.proxy.url", "https://proxy.corp.example:3128");
        assertOneProblemMentioning(keys, "mail.proxy.url must be http://host:port");
        keys.remove("mail.proxy.url");
        keys.put("mail.proxy.user", "svc");
        assertOneProblemMentioning(keys, "mail.proxy.user or mail.proxy.password is set without mail.proxy.url");
    }

    @Test
    void anUnknownCloudNamesTheKey() {
        Map<String, String> keys = valid();
        keys.put("mail.entra.cloud", "germany");
        Exception error = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> problems(keys));
        assertTrue(String.valueOf(error.getMessage()).contains("mail.entra.cloud"), error::getMessage);
    }
}
