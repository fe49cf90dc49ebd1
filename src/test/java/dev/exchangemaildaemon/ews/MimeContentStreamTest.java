package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.Base64;
import java.util.Random;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MimeContentStreamTest {

    private static final int[] SIZES = { 0, 1, 2, 3, 4, 5, 57, 12_287, 12_288, 12_289, 24_576, 100_003 };

    /** The reader at the start of the element; after the stream is closed, at its end, the rest still readable. */
    private static XMLStreamReader at(String base64Text) throws Exception {
        XMLStreamReader xml = XMLInputFactory.newFactory().createXMLStreamReader(new StringReader(
                "<Item><MimeContent CharacterSet=\"UTF-8\">" + base64Text + "</MimeContent><After/></Item>"));
        xml.nextTag();
        xml.nextTag();
        assertEquals("MimeContent", xml.getLocalName());
        return xml;
    }

    private static byte[] readInRandomSizes(InputStream in, Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[20_000];
        while (true) {
            if (random.nextInt(10) == 0) {
                int b = in.read();
                if (b < 0) {
                    return out.toByteArray();
                }
                out.write(b);
                continue;
            }
            int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "plain", "mime-lines", "unpadded", "spaces" })
    void decodesEverySizeAndLayoutOfBase64Exactly(String layout) throws Exception {
        Random random = new Random(layout.hashCode());
        for (int size : SIZES) {
            byte[] mime = new byte[size];
            random.nextBytes(mime);
            String text = switch (layout) {
                case "plain" -> Base64.getEncoder().encodeToString(mime);
                case "mime-lines" -> Base64.getMimeEncoder().encodeToString(mime);
                case "unpadded" -> Base64.getEncoder().withoutPadding().encodeToString(mime);
                default -> "\n  " + Base64.getEncoder().encodeToString(mime).replaceAll("(.{7})", "$1 \t") + "\r\n";
            };
            XMLStreamReader xml = at(text);
            try (InputStream in = new MimeContentStream(xml)) {
                assertArrayEquals(mime, readInRandomSizes(in, random), layout + ", " + size + " bytes");
            }
            assertEquals(XMLStreamConstants.END_ELEMENT, xml.getEventType());
            assertEquals("MimeContent", xml.getLocalName());
            assertEquals("After", nextTagName(xml));
        }
    }

    private static String nextTagName(XMLStreamReader xml) throws Exception {
        xml.nextTag();
        return xml.getLocalName();
    }

    @ParameterizedTest
    @ValueSource(strings = { "QUJD$EVG", "QUJDREVGR", "QUJD\u00e9EVG", "QU=JDREVG" })
    void textThatIsNotBase64FailsAsAResponseError(String text) throws Exception {
        try (InputStream in = new MimeContentStream(at(text))) {
            assertThrows(MimeContentStream.ResponseReadException.class, () -> in.readAllBytes(), text);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 5, 100_000 })
    void closingUnreadSkipsToTheElementsEnd(int size) throws Exception {
        XMLStreamReader xml = at(Base64.getEncoder().encodeToString(new byte[size]));
        try (InputStream in = new MimeContentStream(xml)) {
            in.read();
        }
        assertEquals("After", nextTagName(xml));
    }
}
