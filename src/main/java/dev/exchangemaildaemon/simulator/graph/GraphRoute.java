package dev.exchangemaildaemon.simulator.graph;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a Graph request under {@code /v1.0} asks for: the operation, whose mailbox ({@code /me} or
 * {@code /users/{address}}), and the folder or message it names. The simulator serves the mail routes the daemon
 * uses and nothing else.
 *
 * @param operation such as {@code listMessages}, the name injected faults match on
 * @param user      the address after {@code /users/}, or null for {@code /me}
 * @param folder    the folder id or well-known name, if the path names one
 * @param message   the message id, if the path names one
 */
record GraphRoute(String operation, String user, String folder, String message) {

    static Optional<GraphRoute> parse(String method, String pathUnderVersion) {
        List<String> segments = Arrays.stream(pathUnderVersion.split("/")).filter(segment -> !segment.isEmpty())
                .map(GraphRoute::decode).toList();
        String user;
        List<String> rest;
        if (!segments.isEmpty() && segments.get(0).equalsIgnoreCase("me")) {
            user = null;
            rest = segments.subList(1, segments.size());
        } else if (segments.size() >= 2 && segments.get(0).equalsIgnoreCase("users")) {
            user = segments.get(1);
            rest = segments.subList(2, segments.size());
        } else {
            return Optional.empty();
        }
        String shape = method + " " + String.join("/", rest.stream().map(GraphRoute::shape).toList());
        return Optional.ofNullable(switch (shape) {
            case "GET mailFolders" -> new GraphRoute("listFolders", user, null, null);
            case "POST mailFolders" -> new GraphRoute("createFolder", user, null, null);
            case "GET mailFolders/*/childFolders" -> new GraphRoute("listFolders", user, rest.get(1), null);
            case "POST mailFolders/*/childFolders" -> new GraphRoute("createFolder", user, rest.get(1), null);
            case "GET mailFolders/*" -> new GraphRoute("getFolder", user, rest.get(1), null);
            case "GET mailFolders/*/messages" -> new GraphRoute("listMessages", user, rest.get(1), null);
            case "PATCH messages/*" -> new GraphRoute("updateMessage", user, null, rest.get(1));
            case "GET messages/*/$value" -> new GraphRoute("getMime", user, null, rest.get(1));
            case "POST messages/*/move" -> new GraphRoute("moveMessage", user, null, rest.get(1));
            case "POST sendMail" -> new GraphRoute("sendMail", user, null, null);
            default -> null;
        });
    }

    /** The fixed segments as they are, names and ids as {@code *}. */
    private static String shape(String segment) {
        return List.of("mailFolders", "childFolders", "messages", "$value", "move", "sendMail").contains(segment) ? segment : "*";
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
