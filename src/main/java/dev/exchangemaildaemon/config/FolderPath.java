package dev.exchangemaildaemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How the configuration names a folder ({@code folder}, {@code folders[].name}, {@code move-to-folder}): display
 * names separated by {@code /}, each a folder inside the one before, such as {@code Invoices/Incoming}. A display
 * name that holds {@code /} itself, as accounting folders often do ({@code A/P Invoices}), writes it as {@code \/}
 * ({@code Inbox/A\/P Invoices}); a backslash of the name is {@code \\}.
 */
public final class FolderPath {

    /** Separates the display names of a folder path. */
    public static final String SEPARATOR = "/";
    private static final char ESCAPE = '\\';

    private FolderPath() {
    }

    /**
     * The display names of a folder path, each stripped of surrounding spaces, with {@code \/} and {@code \\} read
     * as {@code /} and {@code \}. An empty one ({@code a//b}, a leading or trailing {@code /}) or a backslash before
     * anything else is refused, naming the path.
     */
    public static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == ESCAPE) {
                char next = i + 1 < path.length() ? path.charAt(i + 1) : ' ';
                if (next != '/' && next != ESCAPE) {
                    throw new IllegalArgumentException("'" + path + "' has a \\ that is not followed by / or \\: write"
                            + " \\/ for a / inside a display name (A\\/P Invoices), \\\\ for a \\");
                }
                segment.append(next);
                i++;
            } else if (c == '/') {
                segments.add(finished(segment, path));
                segment.setLength(0);
            } else {
                segment.append(c);
            }
        }
        segments.add(finished(segment, path));
        return segments;
    }

    /** The path of these display names, each {@code /} and {@code \} in them escaped: {@link #segments} reversed. */
    public static String join(List<String> segments) {
        return segments.stream()
                .map(name -> name.replace("\\", "\\\\").replace("/", "\\/"))
                .collect(Collectors.joining(SEPARATOR));
    }

    private static String finished(StringBuilder segment, String path) {
        if (segment.toString().isBlank()) {
            throw new IllegalArgumentException("'" + path + "' has an empty folder name: write display names"
                    + " separated by single " + SEPARATOR + ", such as Invoices/Incoming");
        }
        return segment.toString().strip();
    }
}
