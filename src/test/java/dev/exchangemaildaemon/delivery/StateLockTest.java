package dev.exchangemaildaemon.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One holder per state directory; the refusal names the lock file and the holder's pid. */
class StateLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedNamingTheFileAndThePid() throws Exception {
        Path state = dir.resolve("state");
        String pid = Long.toString(ProcessHandle.current().pid());
        try (StateLock held = StateLock.acquire(state)) {
            assertEquals(pid, Files.readString(held.file()).trim(), "the lock file holds the holder's pid");
            StateLock.StateLockedException refused = assertThrows(StateLock.StateLockedException.class,
                    () -> StateLock.acquire(state));
            assertTrue(refused.getMessage().contains(state.resolve(StateLock.FILE_NAME).toAbsolutePath().toString()),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("pid " + pid), refused.getMessage());
        }
        try (StateLock again = StateLock.acquire(state)) {
            assertTrue(Files.exists(again.file()), "released on close, so a restart takes it again");
        }
    }
}
