package dev.exchangemaildaemon.outgoing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header block is read in bytes up to its limit, with the line ends and folding that mail software writes. */
class MimeHeaderBlockTest {

    @TempDir
    Path dir;

    @Test
    void linesEndedByCrLfLfOrALoneCrAndFoldedHeadersAreRead() throws IOException {
        MimeHeaderBlock block = read("From: ERP\r\n <erp@contoso.com>\nTo: a@contoso.com,\r\n\tb@contoso.com\r"
                + "Message-ID: <1@erp>\r\n\r\nTo: body@contoso.com\r\n");

        assertEquals(Optional.of("erp@contoso.com"), block.sender());
        assertEquals(List.of("a@contoso.com", "b@contoso.com"), block.recipients(), "the body is not headers");
        assertEquals(Optional.of("<1@erp>"), block.messageId());
        assertTrue(block.complete());
    }

    @Test
    void aFileOfHeadersOnlyIsComplete() throws IOException {
        assertTrue(read("From: <erp@contoso.com>").complete());
    }

    @Test
    void aBlockEndingJustWithinTheLimitIsCompleteAndOneByteMoreIsNot() throws IOException {
        String from = "From: <erp@contoso.com>\r\n";
        String end = "\r\n\r\nbody\r\n";
        String padding = "X-Padding: " + "a".repeat(MimeHeaderBlock.MAX_HEADER_BYTES - from.length() - 11 - 4);

        MimeHeaderBlock within = read(from + padding + end);
        assertTrue(within.complete());
        assertEquals(Optional.of("erp@contoso.com"), within.sender());

        assertFalse(read(from + padding + "aa" + end).complete(), "the empty line starts beyond the limit");
    }

    private MimeHeaderBlock read(String mime) throws IOException {
        Path file = dir.resolve("message.eml");
        Files.writeString(file, mime, StandardCharsets.ISO_8859_1);
        return MimeHeaderBlock.read(file);
    }
}
