package dev.exchangemaildaemon.simulator.ews;

import java.util.List;

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
        List<Element> expressions = Dom.children(restriction);
        Element isEqualTo = expressions.size() == 1 ? expressions.get(0) : null;
        if (isEqualTo == null || !Dom.is(isEqualTo, EwsNamespaces.TYPES, "IsEqualTo")) {
            throw unsupported(field);
        }
        String comparedField = Dom.child(isEqualTo, EwsNamespaces.TYPES, "FieldURI")
                .map(element -> element.getAttribute("FieldURI"))
                .orElse(null);
        Element constant = Dom.child(isEqualTo, EwsNamespaces.TYPES, "FieldURIOrConstant")
                .flatMap(element -> Dom.child(element, EwsNamespaces.TYPES, "Constant"))
                .orElse(null);
        if (!field.equals(comparedField) || constant == null) {
            throw unsupported(field);
        }
        return Dom.requiredAttribute(constant, "Value");
    }

    private static EwsFault unsupported(String field) {
        return EwsFault.invalidRequest("The simulator supports only IsEqualTo " + field + " with a constant here.");
    }
}
