package dev.exchangemaildaemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;

/** Folder paths: display names separated by /, with \/ for a / inside a name (A/P Invoices) and \\ for a \. */
class FolderPathTest {

    @Test
    void aSlashInsideADisplayNameIsWrittenBackslashSlash() {
        assertEquals(List.of("Inbox", "A/P Invoices"), FolderPath.segments("Inbox/A\\/P Invoices"));
        assertEquals(List.of("Inbox", "A", "P Invoices"), FolderPath.segments("Inbox/A/P Invoices"));
        assertEquals(List.of("EDI\\X12", "in"), FolderPath.segments("EDI\\\\X12/in"));
        assertEquals(List.of("Invoices", "Incoming"), FolderPath.segments(" Invoices / Incoming "));
    }

    @Test
    void joinIsSegmentsReversed() {
        for (String path : List.of("Inbox/A\\/P Invoices", "EDI\\\\X12/in", "a/b/c", "\\/\\\\/x")) {
            assertEquals(path, FolderPath.join(FolderPath.segments(path)), path);
        }
        assertEquals("Inbox/A\\/P", FolderPath.join(List.of("Inbox", "A/P")));
    }

    /** The three ways README shows in YAML, read as the daemon reads its file (expressions expanded). */
    @Test
    void theReadmesYamlFormsKeepTheirBackslashOnTheWayIn() {
        String yaml = """
                mail:
                  incoming:
                    mailboxes:
                      - address: a@contoso.com
                        folders:
                          - name: Inbox/A\\/P Invoices
                          - name: 'Inbox/A\\/P Credits'
                          - name: "Inbox/A\\\\/P Reminders"
                """;
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new YamlConfigSource("test.yaml", yaml, 100)).build();
        List<List<String>> read = List.of(0, 1, 2).stream().map(i -> FolderPath.segments(config.getValue(
                "mail.incoming.mailboxes[0].folders[" + i + "].name", String.class))).toList();
        assertEquals(List.of(List.of("Inbox", "A/P Invoices"), List.of("Inbox", "A/P Credits"),
                List.of("Inbox", "A/P Reminders")), read);
    }

    @Test
    void aBackslashBeforeAnythingElseOrAnEmptyNameIsRefusedNamingThePath() {
        for (String path : List.of("Invoices\\Incoming", "Invoices\\", "Invoices//Incoming", "/Invoices",
                "Invoices/")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> FolderPath.segments(path), path);
            assertTrue(refused.getMessage().contains("'" + path + "'"), refused.getMessage());
        }
    }
}
