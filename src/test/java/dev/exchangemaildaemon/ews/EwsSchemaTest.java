package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.bootstrap.DOMImplementationRegistry;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSInput;

import dev.exchangemaildaemon.ews.soap.Namespaces;
import dev.exchangemaildaemon.ews.types.FolderIdType;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;

/** Every request this client builds, validated against the schema Exchange Online serves. */
class EwsSchemaTest {

    /** types.xsd imports the xml: namespace without a location; these are the attributes it declares. */
    private static final String XML_NAMESPACE_SCHEMA = """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">
              <xs:attribute name="lang" type="xs:string"/>
              <xs:attribute name="space" type="xs:NCName"/>
              <xs:attribute name="base" type="xs:anyURI"/>
              <xs:attribute name="id" type="xs:ID"/>
            </xs:schema>""";

    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        Optional<Path> dir = schemaDir();
        Assumptions.assumeTrue(dir.isPresent(), "EWS schema not found: set -Dews.schema.dir to the folder holding "
                + "messages.xsd and types.xsd (looked in ../shared/ews-schema and /work/shared/ews-schema)");
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        DOMImplementationLS ls = (DOMImplementationLS) DOMImplementationRegistry.newInstance()
                .getDOMImplementation("LS");
        factory.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> {
            if (!XMLConstants.XML_NS_URI.equals(namespace)) {
                return null;
            }
            LSInput input = ls.createLSInput();
            input.setStringData(XML_NAMESPACE_SCHEMA);
            return input;
        });
        File messages = dir.get().resolve("messages.xsd").toFile();
        schema = factory.newSchema(messages);
    }

    static Stream<Arguments> requests() {
        List<MessageRef> batch = List.of(ref("AAMkA1"), ref("AAMkA2"));
        FolderIdType folder = new FolderIdType("AAMkFolder");
        List<Object> operations = List.of(
                GetFolder.request(Folders.MAILBOX_ROOT),
                GetFolder.request(folder),
                FindFolder.request(Folders.MAILBOX_ROOT, "Processed"),
                CreateFolder.request(Folders.MAILBOX_ROOT, "Processed"),
                FindItem.request(folder, 0),
                FindItem.request(Folders.MAILBOX_ROOT, 1000),
                FindItem.sentRequest("<4711+o'neil&co@erp.example>"),
                GetItem.request(batch),
                UpdateItem.request(batch),
                MoveItem.request(folder, batch),
                DeleteItem.request(batch),
                CreateItem.request(new OutgoingMessage("sender@example.com",
                        List.of("a@example.com", "b@example.com"), "Test <1>", "Hello & goodbye\n")),
                // MimeContent must come first in the item; the file is spliced in where the placeholder stands
                CreateItem.request(Path.of("message.eml"), 0).operation());
        List<Arguments> arguments = new ArrayList<>();
        for (Object operation : operations) {
            arguments.add(Arguments.of(operation.getClass().getSimpleName(), operation, null));
            arguments.add(Arguments.of(operation.getClass().getSimpleName(), operation, "user@example.com"));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} impersonating {2}")
    @MethodSource("requests")
    void requestIsValid(String name, Object operation, String impersonated) throws Exception {
        Document envelope = parse(SoapRequests.envelope(operation, impersonated));

        Element header = child(envelope.getDocumentElement(), Namespaces.SOAP, "Header");
        List<Element> blocks = children(header);
        assertEquals(impersonated == null ? 1 : 2, blocks.size(), "header blocks");
        assertEquals("RequestServerVersion", blocks.get(0).getLocalName());
        assertEquals("Exchange2013_SP1", blocks.get(0).getAttribute("Version"));
        if (impersonated != null) {
            assertEquals(impersonated, blocks.get(1).getTextContent());
        }
        for (Element block : blocks) {
            schema.newValidator().validate(new DOMSource(block));
        }

        List<Element> body = children(child(envelope.getDocumentElement(), Namespaces.SOAP, "Body"));
        assertEquals(1, body.size(), "body elements");
        schema.newValidator().validate(new DOMSource(body.get(0)));
    }

    /** Several schema elements share these types; the validator would accept a TasksFolder or a PostItem here. */
    @Test
    void createsAMailFolderAndAMessage() throws Exception {
        Element folders = parse(SoapRequests.envelope(CreateFolder.request(Folders.MAILBOX_ROOT, "Processed"), null))
                .getDocumentElement();
        assertEquals(1, folders.getElementsByTagNameNS(Namespaces.TYPES, "Folder").getLength());
        Element items = parse(SoapRequests.envelope(CreateItem.request(
                new OutgoingMessage("s@example.com", List.of("r@example.com"), "s", "b")), null)).getDocumentElement();
        assertEquals(1, items.getElementsByTagNameNS(Namespaces.TYPES, "Message").getLength());
    }

    private static Optional<Path> schemaDir() {
        Stream<Path> candidates = Stream.of(
                Optional.ofNullable(System.getProperty("ews.schema.dir")).map(Path::of).orElse(null),
                Path.of("../shared/ews-schema"),
                Path.of("/work/shared/ews-schema"));
        return candidates.filter(dir -> dir != null && Files.isRegularFile(dir.resolve("messages.xsd"))).findFirst();
    }

    private static MessageRef ref(String id) {
        return new MessageRef(id, Optional.empty(), Instant.EPOCH, 0);
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Element child(Element parent, String namespace, String localName) {
        Element found = children(parent).stream()
                .filter(e -> namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName()))
                .findFirst().orElse(null);
        assertNotNull(found, localName);
        return found;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }
}
