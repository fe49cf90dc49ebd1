package dev.exchangemaildaemon.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README's diagnosis table lists every code the daemon diagnoses, with its step. */
class DiagnosesDocumentedTest {

    @Test
    void everyCodeIsInTheReadmeWithItsStep() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (String code : Diagnoses.knownCodes()) {
            String step = Diagnoses.of(code, "").step();
            assertTrue(readme.contains("| `" + code + "` | " + step + " |"), () -> code + " / " + step
                    + " missing from the README's diagnosis table");
        }
    }
}
