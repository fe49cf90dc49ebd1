package dev.exchangemaildaemon.graph;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Paths of one mailbox's resources, relative to Graph's versioned base URL: {@code /users/{address}} for the app's
 * own token, which may open any mailbox the tenant allows, and {@code /me} for a user's token.
 */
final class MailboxPaths {

    private final String root;

    MailboxPaths(String address, boolean appOnly) {
        this.root = appOnly ? "/users/" + segment(address) : "/me";
    }

    String root() {
        return root;
    }

    String folder(String folderId) {
        return root + "/mailFolders/" + segment(folderId);
    }

    String childFolders(String parentId) {
        return folder(parentId) + "/childFolders";
    }

    String message(String messageId) {
        return root + "/messages/" + segment(messageId);
    }

    String sendMail() {
        return root + "/sendMail";
    }

    /** One path segment, percent-encoded: ids may hold characters a path cannot. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string from OData options in order, each value percent-encoded. */
    static String query(Map<String, String> options) {
        return options.entrySet().stream()
                .map(option -> option.getKey() + "=" + segment(option.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    static Map<String, String> options(String... namesAndValues) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            options.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return options;
    }

    /** An OData string literal: quoted, with quotes inside doubled. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
