package dev.exchangemaildaemon.outgoing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top-level header block of a MIME file, unfolded: whose mailbox sends it (From), to whom (To, Cc, Bcc) and
 * its Message-ID. Reads at most {@link #MAX_HEADER_CHARS}, never the body.
 */
final class MimeHeaderBlock {

    private static final int MAX_HEADER_CHARS = 256 * 1024;
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>");
    private static final Pattern BARE_ADDRESS = Pattern.compile("[^<>\\s,;:\"()]+@[^<>\\s,;:\"()]+");

    /** Each header as {@code name: value}, folded lines joined. */
    private final List<String[]> headers;

    private MimeHeaderBlock(List<String[]> headers) {
        this.headers = headers;
    }

    static MimeHeaderBlock read(Path mime) throws IOException {
        List<String[]> headers = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(mime),
                StandardCharsets.ISO_8859_1))) {
            int read = 0;
            for (String line = lines.readLine(); line != null && !line.isEmpty() && read < MAX_HEADER_CHARS;
                    line = lines.readLine()) {
                read += line.length() + 2;
                boolean continuation = line.startsWith(" ") || line.startsWith("\t");
                int colon = line.indexOf(':');
                if (continuation && !headers.isEmpty()) {
                    String[] last = headers.get(headers.size() - 1);
                    last[1] = last[1] + " " + line.trim();
                } else if (colon > 0) {
                    headers.add(new String[] { line.substring(0, colon).trim(), line.substring(colon + 1).trim() });
                }
            }
        }
        return new MimeHeaderBlock(headers);
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
        for (String[] header : headers) {
            if (List.of("to", "cc", "bcc").contains(header[0].toLowerCase(Locale.ROOT))) {
                Matcher address = BARE_ADDRESS.matcher(header[1]);
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
        return headers.stream().filter(header -> header[0].equalsIgnoreCase(name)).map(header -> header[1])
                .findFirst();
    }
}
