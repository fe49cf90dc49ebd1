package dev.exchangemaildaemon.simulator;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads a header of a MIME message's top-level header block. */
final class MimeHeaders {

    private MimeHeaders() {
    }

    /** The unfolded value of the first header with that name, if the header block has one. */
    static Optional<String> value(byte[] mime, String name) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(new ByteArrayInputStream(mime), StandardCharsets.ISO_8859_1))) {
            StringBuilder value = null;
            for (String line = lines.readLine(); line != null && !line.isEmpty(); line = lines.readLine()) {
                boolean continuation = line.startsWith(" ") || line.startsWith("\t");
                if (value != null && continuation) {
                    value.append(' ').append(line.trim());
                } else if (value != null) {
                    break;
                } else {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                        value = new StringBuilder(line.substring(colon + 1).trim());
                    }
                }
            }
            return Optional.ofNullable(value).map(StringBuilder::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
