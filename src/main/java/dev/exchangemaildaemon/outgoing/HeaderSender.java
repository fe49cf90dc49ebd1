package dev.exchangemaildaemon.outgoing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address in a MIME file's From header: a pickup file has no SMTP envelope, so its From says whose mailbox
 * sends it. Reads the header block only, and at most {@link #MAX_HEADER_CHARS} of it.
 */
final class HeaderSender {

    private static final int MAX_HEADER_CHARS = 256 * 1024;
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>");
    private static final Pattern BARE_ADDRESS = Pattern.compile("([^<>\\s,;:\"()]+@[^<>\\s,;:\"()]+)");

    private HeaderSender() {
    }

    static Optional<String> of(Path mime) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(mime),
                StandardCharsets.ISO_8859_1))) {
            StringBuilder from = null;
            int read = 0;
            for (String line = lines.readLine(); line != null && !line.isEmpty() && read < MAX_HEADER_CHARS;
                    line = lines.readLine()) {
                read += line.length() + 2;
                boolean continuation = line.startsWith(" ") || line.startsWith("\t");
                if (from != null && continuation) {
                    from.append(' ').append(line.trim());
                } else if (from != null) {
                    break;
                } else if (line.regionMatches(true, 0, "From:", 0, 5)) {
                    from = new StringBuilder(line.substring(5).trim());
                }
            }
            return Optional.ofNullable(from).flatMap(value -> address(value.toString()));
        }
    }

    /** The address of {@code Name <address>}, or of a bare {@code address}. */
    private static Optional<String> address(String value) {
        Matcher angle = ANGLE_ADDRESS.matcher(value);
        if (angle.find()) {
            return Optional.of(angle.group(1));
        }
        Matcher bare = BARE_ADDRESS.matcher(value);
        return bare.find() ? Optional.of(bare.group(1)) : Optional.empty();
    }
}
