package dev.exchangemaildaemon.simulator.graph;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.exchangemaildaemon.simulator.StoredItem;

/**
 * The OData options of a message list ({@code GET .../mailFolders/{id}/messages}), checked as Exchange Online checks
 * them behind Graph. Rules Microsoft documents for
 * <a href="https://learn.microsoft.com/en-us/graph/api/user-list-messages">List messages</a>:
 * <ul>
 * <li>With both {@code $filter} and {@code $orderby}, the properties in {@code $orderby} must also be in
 * {@code $filter}, in the same order, before any other filtered property ("Using filter and orderby in the same
 * query"); otherwise 400 {@code InefficientFilter}.</li>
 * <li>A property the message type does not have, in any option, is 400 {@code RequestBroker--ParseUri}.</li>
 * <li>{@code $top} is 1 to 1000; without it a page holds 10.</li>
 * <li>{@code $expand} of {@code singleValueExtendedProperties} needs {@code ($filter=id eq '...')}.</li>
 * </ul>
 * The simulator filters by {@code receivedDateTime} (ge, gt, le, lt, eq), {@code isRead} (eq, ne) and
 * {@code internetMessageId} (eq, {@link InternetMessageIdFilter}), joined by
 * {@code and}, and orders by {@code receivedDateTime}; anything else the service would take is refused as not
 * simulated, never silently ignored.
 */
final class GraphMessageQuery {

    static final int MAX_TOP = 1000;
    private static final int DEFAULT_TOP = 10;

    /** The properties of Graph's message resource (v1.0), structural and navigation. */
    private static final Set<String> MESSAGE_PROPERTIES = Set.of("bccRecipients", "body", "bodyPreview",
            "categories", "ccRecipients", "changeKey", "conversationId", "conversationIndex", "createdDateTime",
            "flag", "from", "hasAttachments", "id", "importance", "inferenceClassification", "internetMessageHeaders",
            "internetMessageId", "isDeliveryReceiptRequested", "isDraft", "isRead", "isReadReceiptRequested",
            "lastModifiedDateTime", "parentFolderId", "receivedDateTime", "replyTo", "sender", "sentDateTime",
            "subject", "toRecipients", "uniqueBody", "webLink", "attachments", "extensions",
            "multiValueExtendedProperties", "singleValueExtendedProperties");

    private static final Pattern CLAUSE = Pattern.compile("([A-Za-z/]+)\\s+(eq|ne|ge|gt|le|lt)\\s+(.+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AND = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPANSION = Pattern.compile("([A-Za-z]+)(?:\\((.*)\\))?");
    /** An extended property expanded by id: PidTagMessageSize is the one the simulator knows. */
    private static final Pattern ID_FILTER = Pattern.compile("\\$filter=id eq '((?:[^']|'')*)'",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE_PROPERTY = Pattern.compile("Integer 0x0?e08", Pattern.CASE_INSENSITIVE);
    private static final Comparator<StoredItem> OLDEST_FIRST =
            Comparator.comparing(StoredItem::received).thenComparingLong(StoredItem::sequence);

    private final Predicate<StoredItem> filter;
    private final Comparator<StoredItem> order;
    private final Set<String> select;
    private final boolean withSize;
    private final int top;
    private final int skip;

    private GraphMessageQuery(Predicate<StoredItem> filter, Comparator<StoredItem> order, Set<String> select,
                              boolean withSize, int top, int skip) {
        this.filter = filter;
        this.order = order;
        this.select = select;
        this.withSize = withSize;
        this.top = top;
        this.skip = skip;
    }

    static GraphMessageQuery parse(Map<String, String> options) throws GraphFault {
        Set<String> select = select(options.get("$select"));
        boolean withSize = expandsSize(options.get("$expand"));
        List<Clause> clauses = clauses(options.get("$filter"));
        List<String> orderBy = orderBy(options.get("$orderby"));
        if (!clauses.isEmpty() && !orderBy.isEmpty()) {
            List<String> filtered = clauses.stream().map(Clause::property).distinct().toList();
            boolean leads = filtered.size() >= orderBy.size()
                    && filtered.subList(0, orderBy.size()).equals(orderBy.stream().map(GraphMessageQuery::property)
                    .toList());
            if (!leads) {
                throw new GraphFault(GraphError.inefficientFilter());
            }
        }
        int top = number(options, "$top", DEFAULT_TOP);
        if (top < 1 || top > MAX_TOP) {
            throw new GraphFault(GraphError.badRequest("The value of $top must be between 1 and " + MAX_TOP + "."));
        }
        int skip = number(options, "$skip", 0);
        Predicate<StoredItem> filter = item -> true;
        for (Clause clause : clauses) {
            filter = filter.and(clause.predicate());
        }
        return new GraphMessageQuery(filter, order(orderBy), select, withSize, top, skip);
    }

    Predicate<StoredItem> filter() {
        return filter;
    }

    Comparator<StoredItem> order() {
        return order;
    }

    /** The properties asked for, or null for all. */
    Set<String> select() {
        return select;
    }

    boolean withSize() {
        return withSize;
    }

    int top() {
        return top;
    }

    int skip() {
        return skip;
    }

    private record Clause(String property, Predicate<StoredItem> predicate) {
    }

    private static List<Clause> clauses(String filter) throws GraphFault {
        List<Clause> clauses = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return clauses;
        }
        for (String text : AND.split(filter.trim())) {
            Matcher clause = CLAUSE.matcher(text.trim());
            if (!clause.matches()) {
                throw new GraphFault(GraphError.badRequest("The simulator does not understand the filter clause '"
                        + text.trim() + "'; it takes 'property operator value' joined by 'and'."));
            }
            String property = clause.group(1).contains("/") ? clause.group(1) : known(clause.group(1));
            known(property);
            String operator = clause.group(2).toLowerCase(Locale.ROOT);
            String value = clause.group(3).trim();
            clauses.add(new Clause(property, switch (property) {
                case "isRead" -> isRead(operator, value);
                case "receivedDateTime" -> received(operator, value);
                case "internetMessageId" -> InternetMessageIdFilter.of(operator, value);
                default -> throw new GraphFault(GraphError.badRequest("The simulator filters messages by isRead,"
                        + " receivedDateTime and internetMessageId only, not by " + property + "."));
            }));
        }
        return clauses;
    }

    private static Predicate<StoredItem> isRead(String operator, String value) throws GraphFault {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")
                || !operator.equals("eq") && !operator.equals("ne")) {
            throw new GraphFault(GraphError.badRequest("isRead takes eq or ne with true or false, not '" + operator
                    + " " + value + "'."));
        }
        boolean read = Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)) == operator.equals("eq");
        return item -> item.read() == read;
    }

    private static Predicate<StoredItem> received(String operator, String value) throws GraphFault {
        Instant bound;
        try {
            bound = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new GraphFault(GraphError.badRequest("'" + value + "' is not a DateTimeOffset literal."));
        }
        return switch (operator) {
            case "eq" -> item -> item.received().equals(bound);
            case "ne" -> item -> !item.received().equals(bound);
            case "ge" -> item -> !item.received().isBefore(bound);
            case "gt" -> item -> item.received().isAfter(bound);
            case "le" -> item -> !item.received().isAfter(bound);
            default -> item -> item.received().isBefore(bound);
        };
    }

    /** The orderby items as given ("receivedDateTime desc"), each naming a property of the message. */
    private static List<String> orderBy(String orderBy) throws GraphFault {
        List<String> items = new ArrayList<>();
        if (orderBy == null || orderBy.isBlank()) {
            return items;
        }
        for (String item : orderBy.split(",")) {
            String[] words = item.trim().split("\\s+");
            if (words.length > 2 || words.length == 2 && !words[1].matches("(?i)asc|desc")) {
                throw new GraphFault(GraphError.badRequest("'" + item.trim() + "' is not an orderby item."));
            }
            items.add(known(words[0]) + (words.length == 2 ? " " + words[1] : ""));
        }
        return items;
    }

    private static String property(String orderByItem) {
        return orderByItem.split("\\s+")[0];
    }

    /** Newest first unless asked otherwise, as Graph lists messages. */
    private static Comparator<StoredItem> order(List<String> orderBy) throws GraphFault {
        if (orderBy.isEmpty()) {
            return OLDEST_FIRST.reversed();
        }
        if (orderBy.size() > 1 || !property(orderBy.get(0)).equals("receivedDateTime")) {
            throw new GraphFault(GraphError.badRequest("The simulator orders by receivedDateTime only."));
        }
        return orderBy.get(0).toLowerCase(Locale.ROOT).endsWith(" desc") ? OLDEST_FIRST.reversed() : OLDEST_FIRST;
    }

    private static Set<String> select(String select) throws GraphFault {
        if (select == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : select.split(",")) {
            names.add(known(name.trim()));
        }
        return names;
    }

    /**
     * Whether the size is expanded: {@code singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')}, the one
     * extended property the simulator serves. Graph takes an extended property only with that filter.
     */
    private static boolean expandsSize(String expand) throws GraphFault {
        if (expand == null) {
            return false;
        }
        Matcher expansion = EXPANSION.matcher(expand.trim());
        if (!expansion.matches()) {
            throw new GraphFault(GraphError.badRequest("'" + expand + "' is not an expand item."));
        }
        String property = known(expansion.group(1));
        if (!property.equals("singleValueExtendedProperties")) {
            throw new GraphFault(GraphError.badRequest("The simulator expands singleValueExtendedProperties only."));
        }
        Matcher id = expansion.group(2) == null ? null : ID_FILTER.matcher(expansion.group(2).trim());
        if (id == null || !id.matches()) {
            throw new GraphFault(GraphError.badRequest("singleValueExtendedProperties is expanded with"
                    + " ($filter=id eq '{id}') only."));
        }
        return SIZE_PROPERTY.matcher(id.group(1)).matches();
    }

    /** The property as the message type spells it (any case is taken); a path is checked by its first segment. */
    private static String known(String property) throws GraphFault {
        String first = property.split("/")[0];
        return MESSAGE_PROPERTIES.stream().filter(name -> name.equalsIgnoreCase(first)).findFirst()
                .orElseThrow(() -> new GraphFault(GraphError.unknownProperty(first, "microsoft.graph.message")));
    }

    private static int number(Map<String, String> query, String name, int absent) throws GraphFault {
        String value = query.get(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new GraphFault(GraphError.badRequest("Invalid value '" + value + "' for " + name + "."));
        }
    }
}
