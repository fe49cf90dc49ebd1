package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top-level header block of a MIME file, unfolded: whose mailbox sends it (From), to whom (To, Cc, Bcc) and
 * its Message-ID. Reads at most {@link #MAX_HEADER_BYTES} bytes, never the body, whatever the file's line structure:
 * a file without line breaks (zero-filled, preallocated, hostile) costs that much memory and no more.
 */
final class MimeHeaderBlock {

    static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>");
    private static final Pattern BARE_ADDRESS = Pattern.compile("[^<>\\s,;:\"()]+@[^<>\\s,;:\"()]+");

    /** One header, its folded lines joined (in a builder: many short continuation lines stay linear). */
    private record Header(String name, StringBuilder value) {
    }

    private final List<Header> headers;
    private final boolean complete;

    private MimeHeaderBlock(List<Header> headers, boolean complete) {
        this.headers = headers;
        this.complete = complete;
    }

    /**
     * The headers in the first {@link #MAX_HEADER_BYTES} bytes, up to the empty line that ends them (or the end of
     * the file); {@link #complete()} says whether that end came within the limit.
     */
    static MimeHeaderBlock read(Path mime) throws IOException {
        byte[] head;
        boolean more;
        try (InputStream in = Files.newInputStream(mime, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
            more = head.length == MAX_HEADER_BYTES && in.read() >= 0;
        }
        List<Header> headers = new ArrayList<>();
        int start = 0;
        while (start < head.length) {
            int end = start;
            while (end < head.length && head[end] != '\n' && head[end] != '\r') {
                end++;
            }
            if (end == head.length && more) {
                break; // a line cut by the limit
            }
            if (end == start) {
                return new MimeHeaderBlock(headers, true); // the empty line before the body
            }
            add(headers, new String(head, start, end - start, StandardCharsets.ISO_8859_1));
            // a line ends with CR LF, LF or a lone CR, as BufferedReader.readLine takes them
            start = end + (end + 1 < head.length && head[end] == '\r' && head[end + 1] == '\n' ? 2 : 1);
        }
        return new MimeHeaderBlock(headers, !more);
    }

    private static void add(List<Header> headers, String line) {
        boolean continuation = line.startsWith(" ") || line.startsWith("\t");
        int colon = line.indexOf(':');
        if (continuation && !headers.isEmpty()) {
            headers.get(headers.size() - 1).value().append(' ').append(line.trim());
        } else if (colon > 0) {
            headers.add(new Header(line.substring(0, colon).trim(),
                    new StringBuilder(line.substring(colon + 1).trim())));
        }
    }

    /** Whether the header block ends within {@link #MAX_HEADER_BYTES}; if not, only its start was read. */
    boolean complete() {
        return complete;
    }

    /** The address in the From header. */
    Optional<String> sender() {
        return first("From").flatMap(value -> {
            Matcher angle = ANGLE_ADDRESS.matcher(value);
            if (angle.find()) {
                return Optional.of(angle.group(1));
            }
            Matcher bare = BARE_ADDRESS.matcher(value);
            return bare.find() ? Optional.of(bare.group()) : Optional.empty();
        });
    }

    /** Every address in the To, Cc and Bcc headers, lower case. */
    List<String> recipients() {
        List<String> found = new ArrayList<>();
        for (Header header : headers) {
            if (List.of("to", "cc", "bcc").contains(header.name().toLowerCase(Locale.ROOT))) {
                Matcher address = BARE_ADDRESS.matcher(header.value());
                while (address.find()) {
                    found.add(address.group().toLowerCase(Locale.ROOT));
                }
            }
        }
        return found;
    }

    Optional<String> messageId() {
        return first("Message-ID").filter(id -> !id.isBlank());
    }

    private Optional<String> first(String name) {
        return headers.stream().filter(header -> header.name().equalsIgnoreCase(name))
                .map(header -> header.value().toString()).findFirst();
    }
}
