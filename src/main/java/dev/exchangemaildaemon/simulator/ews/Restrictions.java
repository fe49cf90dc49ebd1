package dev.exchangemaildaemon.simulator.ews;

import java.util.List;
import java.util.Set;

import org.w3c.dom.Element;

/**
 * Reads search restrictions. The simulator models the one kind the daemon needs: {@code t:IsEqualTo} between a
 * property and a constant.
 */
final class Restrictions {

    private Restrictions() {
    }

    /** The constant that the restriction requires the property to equal. */
    static String isEqualToConstant(Element restriction, String field) throws EwsFault {
        return isEqualTo(restriction, Set.of(field)).constant();
    }

    /** A comparison of one of those properties with a constant. */
    static Comparison isEqualTo(Element restriction, Set<String> fields) throws EwsFault {
        List<Element> expressions = Dom.children(restriction);
        Element isEqualTo = expressions.size() == 1 ? expressions.get(0) : null;
        if (isEqualTo == null || !Dom.is(isEqualTo, EwsNamespaces.TYPES, "IsEqualTo")) {
            throw unsupported(fields);
        }
        String comparedField = Dom.child(isEqualTo, EwsNamespaces.TYPES, "FieldURI")
                .map(element -> element.getAttribute("FieldURI"))
                .orElse(null);
        Element constant = Dom.child(isEqualTo, EwsNamespaces.TYPES, "FieldURIOrConstant")
                .flatMap(element -> Dom.child(element, EwsNamespaces.TYPES, "Constant"))
                .orElse(null);
        if (!fields.contains(comparedField) || constant == null) {
            throw unsupported(fields);
        }
        return new Comparison(comparedField, Dom.requiredAttribute(constant, "Value"));
    }

    /** {@code t:IsEqualTo} of a property and a constant. */
    record Comparison(String field, String constant) {
    }

    private static EwsFault unsupported(Set<String> fields) {
        return EwsFault.invalidRequest("The simulator supports only IsEqualTo " + String.join(" or ", fields.stream()
                .sorted().toList()) + " with a constant here.");
    }
}
