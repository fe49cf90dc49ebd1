package dev.exchangemaildaemon.simulator.graph;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.exchangemaildaemon.simulator.StoredItem;

/**
 * {@code internetMessageId eq '<id@host>'} in a message list's {@code $filter}: the value is an OData string
 * literal, in single quotes with a quote inside doubled ("Use query parameters"); one unquoted, or with a lone
 * quote inside, is a syntax error (400). The match is exact; a message without a Message-ID matches nothing. Only
 * {@code eq} is simulated (finding one message by its id is all the daemon asks).
 */
final class InternetMessageIdFilter {

    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'");

    private InternetMessageIdFilter() {
    }

    static Predicate<StoredItem> of(String operator, String value) throws GraphFault {
        if (!operator.equals("eq")) {
            throw new GraphFault(GraphError.badRequest("The simulator filters internetMessageId with eq only, not "
                    + operator + "."));
        }
        Matcher literal = LITERAL.matcher(value);
        if (!literal.matches()) {
            throw new GraphFault(GraphError.badRequest("Invalid filter clause: " + value
                    + " is not a string literal."));
        }
        String id = literal.group(1).replace("''", "'");
        return item -> Objects.equals(item.internetMessageId(), id);
    }
}
