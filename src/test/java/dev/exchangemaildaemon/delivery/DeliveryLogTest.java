package dev.exchangemaildaemon.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryLogTest {

    @TempDir
    Path dir;

    @Test
    void statesSurviveReopening() throws IOException {
        Path file = dir.resolve("state/box.delivered");
        try (DeliveryLog log = DeliveryLog.open(file)) {
            log.delivered(List.of("a"));
            log.delivered(List.of("b"));
            log.done(List.of("a"));
        }
        try (DeliveryLog log = DeliveryLog.open(file)) {
            assertEquals(DeliveryLog.State.DONE, log.state("a"));
            assertEquals(DeliveryLog.State.DELIVERED, log.state("b"));
            assertNull(log.state("c"));
        }
    }

    @Test
    void aLineTornByACrashIsIgnoredAndOverwritten() throws IOException {
        Path file = dir.resolve("box.delivered");
        try (DeliveryLog log = DeliveryLog.open(file)) {
            log.delivered(List.of("a"));
        }
        Files.writeString(file, "A a", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);

        try (DeliveryLog log = DeliveryLog.open(file)) {
            assertEquals(DeliveryLog.State.DELIVERED, log.state("a"));
            log.delivered(List.of("b"));
        }
        assertEquals("D a\nD b\n", Files.readString(file));
    }
}
