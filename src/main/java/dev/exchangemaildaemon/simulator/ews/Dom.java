package dev.exchangemaildaemon.simulator.ews;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Namespace-aware navigation of a parsed request. */
final class Dom {

    private Dom() {
    }

    static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }

    static List<Element> children(Element parent, String namespace, String name) {
        return children(parent).stream().filter(child -> is(child, namespace, name)).toList();
    }

    static Optional<Element> child(Element parent, String namespace, String name) {
        return children(parent, namespace, name).stream().findFirst();
    }

    /** The child that the schema requires; a request without it fails schema validation, as in Exchange. */
    static Element required(Element parent, String namespace, String name) throws EwsFault {
        return child(parent, namespace, name).orElseThrow(() -> EwsFault.schemaValidation(
                "The element '" + parent.getLocalName() + "' is missing its child '" + name + "'."));
    }

    /** The attribute's value, or empty when absent (DOM answers "" for both). */
    static Optional<String> attribute(Element element, String name) {
        return element.hasAttribute(name) ? Optional.of(element.getAttribute(name)) : Optional.empty();
    }

    static String requiredAttribute(Element element, String name) throws EwsFault {
        return attribute(element, name).orElseThrow(() -> EwsFault.schemaValidation(
                "The required attribute '" + name + "' is missing on '" + element.getLocalName() + "'."));
    }

    static boolean is(Element element, String namespace, String name) {
        return namespace.equals(element.getNamespaceURI()) && name.equals(element.getLocalName());
    }

    static String text(Element element) {
        return element.getTextContent().strip();
    }
}
