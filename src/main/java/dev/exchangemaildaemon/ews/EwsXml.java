package dev.exchangemaildaemon.ews;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.ews.messages.BaseResponseMessageType;
import dev.exchangemaildaemon.ews.messages.CreateFolderType;
import dev.exchangemaildaemon.ews.messages.CreateItemType;
import dev.exchangemaildaemon.ews.messages.DeleteItemType;
import dev.exchangemaildaemon.ews.messages.FindFolderType;
import dev.exchangemaildaemon.ews.messages.FindItemType;
import dev.exchangemaildaemon.ews.messages.GetFolderType;
import dev.exchangemaildaemon.ews.messages.GetItemType;
import dev.exchangemaildaemon.ews.messages.MoveItemType;
import dev.exchangemaildaemon.ews.messages.UpdateItemType;
import dev.exchangemaildaemon.ews.soap.Envelope;
import dev.exchangemaildaemon.ews.soap.Namespaces;
import dev.exchangemaildaemon.ews.types.ExchangeImpersonationType;
import dev.exchangemaildaemon.ews.types.RequestServerVersion;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;

/** Writes request envelopes and reads responses, refusing DTDs and external entities. */
final class EwsXml {

    private static final JAXBContext CONTEXT = createContext();

    private EwsXml() {
    }

    /**
     * Builds the JAXB mapping on a thread of its own. On a cold JVM that takes about half a second, which the first
     * poll would otherwise spend after its token arrived; the first use waits only for what is left of it.
     */
    static void prepareInBackground() {
        Thread thread = new Thread(() -> {
            try {
                CONTEXT.createMarshaller();
                CONTEXT.createUnmarshaller();
            } catch (JAXBException e) {
                // the first real use fails with this and reports it
            }
        }, "ews-xml-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    static byte[] marshal(Envelope envelope) throws JAXBException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CONTEXT.createMarshaller().marshal(envelope, out);
        return out.toByteArray();
    }

    static <T> T unmarshal(XMLStreamReader xml, Class<T> type) throws JAXBException {
        return CONTEXT.createUnmarshaller().unmarshal(xml, type).getValue();
    }

    /** A reader over the response; the JDK's own StAX parser, whatever else is on the class path. */
    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory.createXMLStreamReader(in);
    }

    /** Moves from the start of a SOAP envelope to the start of the Body's element, which is returned as its name. */
    static String enterBody(XMLStreamReader xml) throws XMLStreamException {
        expect(nextStartElement(xml), Namespaces.SOAP, "Envelope");
        while (true) {
            if (nextStartElement(xml).getLocalName().equals("Body") && Namespaces.SOAP.equals(xml.getNamespaceURI())) {
                return nextStartElement(xml).getLocalName();
            }
            skipElement(xml);
        }
    }

    static boolean isSoapFault(XMLStreamReader xml) {
        return Namespaces.SOAP.equals(xml.getNamespaceURI()) && "Fault".equals(xml.getLocalName());
    }

    /** The next start element, failing at the end of the enclosing element or on a DTD. */
    static XMLStreamReader nextStartElement(XMLStreamReader xml) throws XMLStreamException {
        while (xml.hasNext()) {
            switch (xml.next()) {
                case XMLStreamConstants.START_ELEMENT:
                    return xml;
                case XMLStreamConstants.END_ELEMENT:
                    throw new XMLStreamException("unexpected end of " + xml.getLocalName(), xml.getLocation());
                case XMLStreamConstants.DTD:
                    throw new XMLStreamException("a DTD in the response is refused", xml.getLocation());
                default:
                    break;
            }
        }
        throw new XMLStreamException("unexpected end of the response");
    }

    /** From a start element to its end element. */
    static void skipElement(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static void expect(XMLStreamReader xml, String namespace, String localName) throws XMLStreamException {
        if (!namespace.equals(xml.getNamespaceURI()) || !localName.equals(xml.getLocalName())) {
            throw new XMLStreamException("expected " + localName + ", found " + xml.getName(), xml.getLocation());
        }
    }

    private static JAXBContext createContext() {
        try {
            return JAXBContext.newInstance(Envelope.class, RequestServerVersion.class, ExchangeImpersonationType.class,
                    GetFolderType.class, FindFolderType.class, CreateFolderType.class, FindItemType.class,
                    GetItemType.class, UpdateItemType.class, MoveItemType.class, DeleteItemType.class,
                    CreateItemType.class, BaseResponseMessageType.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("EWS JAXB mapping is broken: " + e, e);
        }
    }
}
