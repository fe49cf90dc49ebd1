package dev.exchangemaildaemon.simulator.ews;

import java.io.StringWriter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A terse, unchecked front to {@link XMLStreamWriter} for SOAP responses. Elements are named by one of the
 * {@link EwsNamespaces#PREFIXES}; where a prefix is bound is up to the caller, through {@link #declare}.
 */
final class XmlOut {

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final StringWriter text = new StringWriter();
    private final XMLStreamWriter writer;

    XmlOut() {
        try {
            writer = FACTORY.createXMLStreamWriter(text);
            writer.writeStartDocument("utf-8", "1.0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    XmlOut start(String prefix, String name) {
        return call(() -> writer.writeStartElement(prefix, name, namespace(prefix)));
    }

    /** An element in no namespace, as SOAP 1.1's {@code faultcode}, {@code faultstring} and {@code detail}. */
    XmlOut start(String name) {
        return call(() -> writer.writeStartElement(name));
    }

    /** Binds the prefixes on the element just opened. */
    XmlOut declare(String... prefixes) {
        for (String prefix : prefixes) {
            call(() -> writer.writeNamespace(prefix, namespace(prefix)));
        }
        return this;
    }

    /** Makes the namespace of that prefix the default one on the element just opened. */
    XmlOut declareDefault(String prefix) {
        return call(() -> writer.writeDefaultNamespace(namespace(prefix)));
    }

    XmlOut attribute(String name, String value) {
        return call(() -> writer.writeAttribute(name, value));
    }

    XmlOut text(String value) {
        return call(() -> writer.writeCharacters(value));
    }

    XmlOut end() {
        return call(writer::writeEndElement);
    }

    /** An element holding only text. */
    XmlOut leaf(String prefix, String name, String value) {
        return start(prefix, name).text(value).end();
    }

    /** An empty element with attributes given as name, value, name, value… */
    XmlOut empty(String prefix, String name, String... attributes) {
        call(() -> writer.writeEmptyElement(prefix, name, namespace(prefix)));
        for (int i = 0; i < attributes.length; i += 2) {
            attribute(attributes[i], attributes[i + 1]);
        }
        return this;
    }

    String finish() {
        call(writer::writeEndDocument);
        call(writer::close);
        return text.toString();
    }

    private static String namespace(String prefix) {
        String uri = EwsNamespaces.PREFIXES.get(prefix);
        if (uri == null) {
            throw new IllegalArgumentException("unknown prefix " + prefix);
        }
        return uri;
    }

    private XmlOut call(Write write) {
        try {
            write.run();
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the response", e);
        }
    }

    @FunctionalInterface
    private interface Write {
        void run() throws XMLStreamException;
    }
}
