package dev.exchangemaildaemon.config;

import java.util.ArrayList;
import java.util.List;

/**
 * How the configuration names a folder ({@code folder}, {@code folders[].name}, {@code move-to-folder}): display
 * names separated by {@code /}, each a folder inside the one before, such as {@code Invoices/Incoming}. A display
 * name that itself holds {@code /} cannot be named.
 */
public final class FolderPath {

    /** Separates the display names of a folder path. */
    public static final String SEPARATOR = "/";

    private FolderPath() {
    }

    /**
     * The display names of a folder path, each stripped of surrounding spaces; an empty one ({@code a//b}, a
     * leading or trailing {@code /}) is refused, naming the path.
     */
    public static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split(SEPARATOR, -1)) {
            if (segment.isBlank()) {
                throw new IllegalArgumentException("'" + path + "' has an empty folder name: write display names"
                        + " separated by single " + SEPARATOR + ", such as Invoices/Incoming");
            }
            segments.add(segment.strip());
        }
        return segments;
    }
}
