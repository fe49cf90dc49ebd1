package dev.exchangemaildaemon.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mailbox's files lie directly under their roots, named alike on every machine. */
class MailboxFilesTest {

    @TempDir
    Path dir;

    @Test
    void anAddressThatClimbsOutOfItsRootIsRefused() {
        for (String address : new String[] { "../../escaped@contoso.com", "a@b/../../victim", "../x@y", "a@b/c" }) {
            IOException error = assertThrows(IOException.class, () -> MailboxFiles.maildir(dir, address), address);
            assertTrue(error.getMessage().contains("mail.incoming.maildir"), error.getMessage());
            error = assertThrows(IOException.class, () -> MailboxFiles.record(dir, address), address);
            assertTrue(error.getMessage().contains("mail.incoming.state-dir"), error.getMessage());
        }
    }

    @Test
    void namesAreLowerCasedTheSameWayInTurkey() throws IOException {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            // The Turkish lower case of 'I' is a dotless 'ı': the Maildir would move when the locale changes.
            assertEquals(dir.resolve("invoices@contoso.com"), MailboxFiles.maildir(dir, "INVOICES@Contoso.com"));
            assertEquals(dir.resolve("invoices@contoso.com.delivered"), MailboxFiles.record(dir, "INVOICES@contoso.com"));
        } finally {
            Locale.setDefault(before);
        }
    }
}
