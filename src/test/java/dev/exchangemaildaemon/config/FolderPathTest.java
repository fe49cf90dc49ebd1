package dev.exchangemaildaemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

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
