package dev.exchangemaildaemon.simulator.graph;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import dev.exchangemaildaemon.simulator.EwsAnswer;
import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.ItemIds;
import dev.exchangemaildaemon.simulator.MailStore;
import dev.exchangemaildaemon.simulator.MimeSubmission;
import dev.exchangemaildaemon.simulator.OutgoingMime;
import dev.exchangemaildaemon.simulator.RejectedRecipients;
import dev.exchangemaildaemon.simulator.ResponseCodes;
import dev.exchangemaildaemon.simulator.SimFolder;
import dev.exchangemaildaemon.simulator.SimMailbox;
import dev.exchangemaildaemon.simulator.StoredItem;
import dev.exchangemaildaemon.simulator.ews.ItemXml;

/**
 * The mail routes of Graph over one mailbox of the store: folders by well-known name or id, a folder's messages
 * (queried as {@link GraphMessageQuery} checks, paged with {@code $top}/{@code $skip} and
 * {@code @odata.nextLink}), a message's MIME, marking read, moving, sending. The caller holds the store's monitor.
 */
public final class GraphMailOperations {

    private static final Pattern DISPLAY_NAME_FILTER = Pattern.compile("displayName eq '((?:[^']|'')*)'");

    private final MailStore store;
    private final RejectedRecipients rejectedRecipients;
    private final Clock clock;
    private final URI graphUri;
    private final IntSupplier pageSize;

    public GraphMailOperations(MailStore store, RejectedRecipients rejectedRecipients, Clock clock, URI graphUri,
                        IntSupplier pageSize) {
        this.store = store;
        this.rejectedRecipients = rejectedRecipients;
        this.clock = clock;
        this.graphUri = graphUri;
        this.pageSize = pageSize;
    }

    EwsAnswer execute(GraphRoute route, GraphRequest request, SimMailbox mailbox) throws GraphFault {
        return switch (route.operation()) {
            case "listFolders" -> listFolders(parent(mailbox, route), request);
            case "createFolder" -> createFolder(parent(mailbox, route), request, mailbox);
            case "getFolder" -> GraphAnswers.json(200, folderJson(folder(mailbox, route.folder())));
            case "listMessages" -> listMessages(route, request, mailbox);
            case "getMime" -> GraphAnswers.mime(item(mailbox, route.message()).mime());
            case "updateMessage" -> updateMessage(route, request, mailbox);
            case "moveMessage" -> moveMessage(route, request, mailbox);
            case "sendMail" -> sendMail(request, mailbox);
            default -> throw new IllegalStateException("no operation " + route.operation());
        };
    }

    /**
     * The folder whose children a folder route lists or adds to: the root for {@code mailFolders}, else the
     * folder of {@code mailFolders/{id}/childFolders}, which is ErrorItemNotFound if there is none.
     */
    private static SimFolder parent(SimMailbox mailbox, GraphRoute route) throws GraphFault {
        return route.folder() == null ? root(mailbox) : folder(mailbox, route.folder());
    }

    private EwsAnswer listFolders(SimFolder parent, GraphRequest request) throws GraphFault {
        String filter = request.query().get("$filter");
        Predicate<SimFolder> matching = folder -> true;
        if (filter != null) {
            Matcher displayName = DISPLAY_NAME_FILTER.matcher(filter.trim());
            if (!displayName.matches()) {
                throw new GraphFault(GraphError.badRequest("The simulator filters folders by displayName only."));
            }
            String wanted = displayName.group(1).replace("''", "'");
            matching = folder -> folder.displayName().equalsIgnoreCase(wanted);
        }
        // hidden folders only when asked for, as Graph documents for mailFolders and childFolders
        boolean withHidden = "true".equalsIgnoreCase(request.query().get("includeHiddenFolders"));
        List<Map<String, Object>> folders = parent.children().stream()
                .filter(folder -> withHidden || !folder.hidden()).filter(matching)
                .map(this::folderJson).toList();
        return GraphAnswers.json(200, Map.of("value", folders));
    }

    private EwsAnswer createFolder(SimFolder parent, GraphRequest request, SimMailbox mailbox) throws GraphFault {
        String displayName = text(json(request), "displayName");
        if (displayName == null || displayName.isBlank()) {
            throw new GraphFault(GraphError.badRequest("displayName is required."));
        }
        if (parent.child(displayName).isPresent()) {
            throw new GraphFault(GraphError.folderExists());
        }
        return GraphAnswers.json(201, folderJson(mailbox.createFolder(parent, displayName)));
    }

    private EwsAnswer listMessages(GraphRoute route, GraphRequest request, SimMailbox mailbox) throws GraphFault {
        GraphMessageQuery query = GraphMessageQuery.parse(request.query());
        SimFolder folder = folder(mailbox, route.folder());
        List<StoredItem> view = folder.items().stream().filter(query.filter()).sorted(query.order()).toList();
        int from = Math.min(query.skip(), view.size());
        List<StoredItem> page = view.subList(from,
                Math.min(view.size(), from + Math.min(query.top(), pageSize.getAsInt())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", page.stream().map(item -> messageJson(mailbox, item, query.select(), query.withSize(),
                request.immutableIds())).toList());
        if (from + page.size() < view.size()) {
            Map<String, String> next = new LinkedHashMap<>(request.query());
            next.put("$skip", Integer.toString(from + page.size()));
            body.put("@odata.nextLink", graphUri + request.path() + "?" + next.entrySet().stream()
                    .map(option -> encode(option.getKey()) + "=" + encode(option.getValue()))
                    .collect(Collectors.joining("&")));
        }
        return GraphAnswers.json(200, body);
    }

    private EwsAnswer updateMessage(GraphRoute route, GraphRequest request, SimMailbox mailbox) throws GraphFault {
        StoredItem item = item(mailbox, route.message());
        JsonNode isRead = json(request).get("isRead");
        if (isRead != null && isRead.isBoolean()) {
            item = item.withRead(isRead.booleanValue());
            mailbox.update(item);
        }
        return GraphAnswers.json(200, messageJson(mailbox, item, null, false, request.immutableIds()));
    }

    private EwsAnswer moveMessage(GraphRoute route, GraphRequest request, SimMailbox mailbox) throws GraphFault {
        StoredItem item = item(mailbox, route.message());
        String destination = text(json(request), "destinationId");
        if (destination == null) {
            throw new GraphFault(GraphError.badRequest("destinationId is required."));
        }
        StoredItem moved = mailbox.move(item, folder(mailbox, destination));
        return GraphAnswers.json(201, messageJson(mailbox, moved, null, false, request.immutableIds()));
    }

    /**
     * sendMail: delivers an unread copy to every recipient with a mailbox here and keeps a read copy in Sent Items
     * unless {@code saveToSentItems} is false. A From other than the mailbox itself is refused, as the simulator
     * grants no Send As rights.
     */
    private EwsAnswer sendMail(GraphRequest request, SimMailbox sender) throws GraphFault {
        if (!looksLikeJson(request.body())) {
            return sendMime(request.body(), sender);
        }
        JsonNode body = json(request);
        JsonNode message = body.path("message");
        String from = message.path("from").path("emailAddress").path("address").asText(null);
        if (from != null && !from.equalsIgnoreCase(sender.address())) {
            throw new GraphFault(GraphError.sendAsDenied());
        }
        List<String> to = addresses(message.path("toRecipients"));
        List<String> cc = addresses(message.path("ccRecipients"));
        List<String> bcc = addresses(message.path("bccRecipients"));
        Set<String> everyone = new LinkedHashSet<>();
        for (List<String> list : List.of(to, cc, bcc)) {
            for (String address : list) {
                if (!RejectedRecipients.wellFormed(address)) {
                    throw new GraphFault(GraphError.invalidRecipients("At least one recipient isn't valid., Recipient \""
                            + address + "\" isn't resolved. All recipients must be resolved before a message can be"
                            + " submitted."));
                }
                if (rejectedRecipients.rejects(address)) {
                    throw new GraphFault(GraphError.recipientNotFound(address));
                }
                everyone.add(address.toLowerCase(Locale.ROOT));
            }
        }
        if (everyone.isEmpty()) {
            throw new GraphFault(GraphError.invalidRecipients(ResponseCodes.text(ResponseCodes.INVALID_RECIPIENTS)));
        }
        JsonNode content = message.path("body");
        byte[] mime = OutgoingMime.build(sender.address(), to, cc, message.path("subject").asText(""),
                content.path("content").asText(""), content.path("contentType").asText("").equalsIgnoreCase("html"),
                clock.instant().atZone(ZoneOffset.UTC));
        for (String address : everyone) {
            store.mailbox(address).ifPresent(recipient -> recipient.add(recipient.inbox(), mime, false, clock.instant()));
        }
        if (body.path("saveToSentItems").asBoolean(true)) {
            sender.add(sender.distinguishedFolder("sentitems").orElseThrow(), mime, true, clock.instant());
        }
        return GraphAnswers.accepted();
    }

    /**
     * sendMail with the message as base64 MIME ({@code Content-Type: text/plain}); the simulator tells it from JSON
     * by its first character. Text that is not base64 is refused as Graph refuses it; a request over 4 MB never gets
     * here ({@link RequestLimit}).
     */
    private EwsAnswer sendMime(byte[] base64, SimMailbox sender) throws GraphFault {
        byte[] mime;
        try {
            mime = Base64.getDecoder().decode(new String(base64, StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            // the error Graph documents for sendMail with malformed MIME
            throw new GraphFault(new GraphError(400, "ErrorMimeContentInvalidBase64String",
                    "Invalid base64 string for MIME content."));
        }
        try {
            MimeSubmission.send(mime, sender, store, rejectedRecipients, clock,
                    sender.distinguishedFolder("sentitems").orElseThrow());
        } catch (ItemError error) {
            throw new GraphFault(error.code().equals(ResponseCodes.SEND_AS_DENIED) ? GraphError.sendAsDenied()
                    : new GraphError(400, error.code(), error.text()));
        }
        return GraphAnswers.accepted();
    }

    private static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    /** A folder by well-known name (any case) or Graph id. */
    private static SimFolder folder(SimMailbox mailbox, String reference) throws GraphFault {
        Optional<SimFolder> wellKnown = mailbox.distinguishedFolder(reference.toLowerCase(Locale.ROOT));
        if (wellKnown.isPresent()) {
            return wellKnown.get();
        }
        String ewsId = GraphIds.ews(reference);
        if (!ItemIds.wellFormed(ewsId)) {
            throw new GraphFault(GraphError.idMalformed());
        }
        return mailbox.folder(ewsId).orElseThrow(() -> new GraphFault(GraphError.itemNotFound()));
    }

    /** A message by immutable id or by its id in its current folder. */
    private static StoredItem item(SimMailbox mailbox, String id) throws GraphFault {
        return mailbox.itemByImmutableId(id).or(() -> mailbox.item(GraphIds.ews(id)))
                .orElseThrow(() -> new GraphFault(GraphError.itemNotFound()));
    }

    private static SimFolder root(SimMailbox mailbox) {
        return mailbox.distinguishedFolder("msgfolderroot").orElseThrow();
    }

    private Map<String, Object> folderJson(SimFolder folder) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", GraphIds.rest(folder.id()));
        json.put("displayName", folder.displayName());
        json.put("childFolderCount", folder.children().size());
        json.put("unreadItemCount", folder.unreadCount());
        json.put("totalItemCount", folder.items().size());
        return json;
    }

    /** The message's properties, only those in {@code select} if it is not null. */
    private static Map<String, Object> messageJson(SimMailbox mailbox, StoredItem item, Set<String> select,
                                                   boolean withSize, boolean immutableIds) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("receivedDateTime", ItemXml.dateTime(item.received()));
        if (item.internetMessageId() != null) {
            all.put("internetMessageId", item.internetMessageId());
        }
        all.put("isRead", item.read());
        all.put("parentFolderId", GraphIds.rest(mailbox.folderOf(item.id()).orElseThrow().id()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("@odata.etag", "W/\"" + item.changeKey() + "\"");
        json.put("id", GraphIds.of(item, immutableIds));
        all.forEach((name, value) -> {
            if (select == null || select.contains(name)) {
                json.put(name, value);
            }
        });
        if (withSize) {
            json.put("singleValueExtendedProperties",
                    List.of(Map.of("id", "Integer 0xe08", "value", Integer.toString(item.size()))));
        }
        return json;
    }

    private static List<String> addresses(JsonNode recipients) {
        List<String> addresses = new ArrayList<>();
        recipients.forEach(recipient -> addresses.add(recipient.path("emailAddress").path("address").asText("")));
        return addresses;
    }

    private static JsonNode json(GraphRequest request) throws GraphFault {
        try {
            JsonNode node = GraphAnswers.MAPPER.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw new GraphFault(GraphError.badRequest("The request body must be a JSON object."));
            }
            return node;
        } catch (IOException e) {
            throw new GraphFault(GraphError.badRequest("The request body is not JSON: " + e.getMessage()));
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
