package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.exchangemaildaemon.ews.MimeContentStream.ResponseReadException;

/**
 * The splitter and {@link MimeContentBytes} under the JDK's StAX parser, used as GetItem uses them: the envelope
 * parsed, each MimeContent's text taken aside at its start tag and decoded from the bytes.
 */
class MimeContentSplitterTest {

    private static final int[] SIZES = { 0, 1, 2, 3, 4, 5, 57, 12_287, 12_288, 12_289, 65_536, 100_003 };

    /** What a parse found: each MimeContent's bytes, in order, and how many came the bytes way. */
    private record Parsed(List<byte[]> mime, int taken) {
    }

    private static String response(String... mimeTexts) {
        StringBuilder messages = new StringBuilder();
        for (String text : mimeTexts) {
            messages.append(FakeEws.success("GetItem", "<m:Items><t:Message><t:MimeContent CharacterSet=\"UTF-8\">"
                    + text + "</t:MimeContent><t:ItemId Id=\"AAMk\" ChangeKey=\"CQAA\"/></t:Message></m:Items>"));
        }
        return FakeEws.response("GetItem", messages.toString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses as GetItem does, each MimeContent read in reads of random sizes; the whole document must parse. */
    private static Parsed parse(InputStream body, Random random) throws Exception {
        MimeContentSplitter splitter = new MimeContentSplitter(body);
        XMLStreamReader xml = splitter.follow(EwsXml.reader(splitter));
        List<byte[]> mime = new ArrayList<>();
        while (xml.hasNext()) {
            if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("MimeContent")) {
                InputStream bytes = splitter.take(xml);
                try (InputStream in = bytes != null ? bytes : new MimeContentStream(xml)) {
                    mime.add(readInRandomSizes(in, random));
                }
                if (bytes != null) {
                    assertEquals(XMLStreamConstants.END_ELEMENT, xml.next());
                }
                assertEquals("MimeContent", xml.getLocalName());
            }
        }
        return new Parsed(mime, splitter.textsTaken());
    }

    private static byte[] readInRandomSizes(InputStream in, Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[70_000];
        while (true) {
            if (random.nextInt(10) == 0) {
                int b = in.read();
                if (b < 0) {
                    return out.toByteArray();
                }
                out.write(b);
                continue;
            }
            int n = in.read(buffer, 0, 1 + random.nextInt(random.nextBoolean() ? 5 : buffer.length));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, n);
        }
    }

    /** A body that hands out its bytes in reads no longer than the given sizes, in turn. */
    private static InputStream chunked(byte[] bytes, int... sizes) {
        return new InputStream() {
            private int position;
            private int turn;

            @Override
            public int read() {
                return position == bytes.length ? -1 : bytes[position++] & 0xff;
            }

            @Override
            public int read(byte[] to, int offset, int length) {
                if (position == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(length, sizes[turn++ % sizes.length]), bytes.length - position);
                System.arraycopy(bytes, position, to, offset, n);
                position += n;
                return n;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = { "plain", "mime-lines", "unpadded", "spaces" })
    void decodesEverySizeAndLayoutOfBase64ExactlyTheBytesWay(String layout) throws Exception {
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
            Parsed parsed = parse(chunked(utf8(response(text, "QUJD")), 1 + random.nextInt(40_000)), random);

            assertEquals(2, parsed.taken(), layout + ", " + size + " bytes: the bytes way");
            assertArrayEquals(mime, parsed.mime().get(0), layout + ", " + size + " bytes");
            assertArrayEquals(utf8("ABC"), parsed.mime().get(1));
        }
    }

    @Test
    void aResponseSplitAtEveryOffsetDecodesTheSame() throws Exception {
        // the envelope before the text holds what the byte scanner must step over and count as the parser does
        byte[] first = utf8("Subject: caf\u00e9 \ud83d\udce7\r\n\r\nbody");
        byte[] second = new byte[40];
        new Random(3).nextBytes(second);
        String text = Base64.getEncoder().encodeToString(first);
        String envelope = response(text.substring(0, 8) + "&#13;&#x0A;" + text.substring(8),
                "<![CDATA[" + Base64.getEncoder().encodeToString(second) + "]]>")
                .replace("<m:ResponseMessages>", "<m:ResponseMessages><!-- <t:MimeContent>x</t:MimeContent> -->"
                        + "<?pi <t:MimeContent>?><t:Note a=\"&gt;>\" b='>'>caf\u00e9 \ud83d\udce7 &amp;</t:Note>"
                        + "<![CDATA[<t:MimeContent>]]><t:MimeContent/><t:MimeContent />");
        byte[] bytes = utf8(envelope);
        Random random = new Random(5);
        for (int cut = 0; cut <= bytes.length; cut++) {
            InputStream body = new SequenceInputStream(new ByteArrayInputStream(bytes, 0, cut),
                    new ByteArrayInputStream(bytes, cut, bytes.length - cut));
            Parsed parsed = parse(body, random);

            assertEquals(2, parsed.taken(), "cut at " + cut);
            assertEquals(4, parsed.mime().size(), "cut at " + cut);
            assertArrayEquals(new byte[0], parsed.mime().get(0));
            assertArrayEquals(new byte[0], parsed.mime().get(1));
            assertArrayEquals(first, parsed.mime().get(2), "cut at " + cut);
            assertArrayEquals(second, parsed.mime().get(3), "cut at " + cut);
        }
        Parsed oneByteReads = parse(chunked(bytes, 1), random);
        assertEquals(2, oneByteReads.taken());
        assertArrayEquals(first, oneByteReads.mime().get(2));
    }

    @ParameterizedTest
    @ValueSource(strings = { "QUJD&#x52;EVG", "QUJDR&#69;VG", "QU&#10;JD&#13;&#9;&#32;REVG", "<!-- c -->QUJD<?p x?>REVG",
        "QUJD<![CDATA[RE]]>VG", "QUJDREVHSA&#x3D;&#61;", "QUJDREVHSA=\r\n=" })
    void referencesCommentsAndCdataInTheTextAreRead(String text) throws Exception {
        Parsed parsed = parse(new ByteArrayInputStream(utf8(response(text))), new Random(1));

        assertEquals(1, parsed.taken());
        byte[] expected = Base64.getDecoder().decode(text.replaceAll("&#x52;", "R").replaceAll("&#69;", "E")
                .replaceAll("&#x3D;|&#61;", "=").replaceAll("&#[0-9]+;|<!--.*?-->|<\\?.*?\\?>|<!\\[CDATA\\[|]]>|\\s", ""));
        assertArrayEquals(expected, parsed.mime().get(0), text);
    }

    @ParameterizedTest
    @ValueSource(strings = { "QUJD$EVG", "QUJDREVGR", "QUJD\u00e9EVG", "QU=JDREVG", "QUI=QUJD", "QQ=", "QQ===",
        "QUJD&lt;", "QUJD&amp;", "QUJD&#60;", "QUJD&#x26;", "QUJD&nbsp;", "QUJD&#1;", "QUJD&#;", "QUJD&#12345678901;",
        "QUJD<![CDATA[RE&#69;VG]]>", "QUJD<![CDATA[RE]VG]]>", "QUJD]]>", "QUJD<t:Inner/>", "QUJD\u0001" })
    void textThatIsNotBase64FailsTheResponse(String text) throws Exception {
        byte[] bytes = utf8(response(text));
        ResponseReadException failure = assertThrows(ResponseReadException.class,
                () -> parse(new ByteArrayInputStream(bytes), new Random(1)), text);
        assertTrue(failure.getCause().getMessage().contains("MimeContent"), failure.getMessage());
    }

    @Test
    void decidesAsTheJdksDecoderOnEveryShortText() throws Exception {
        // every text of up to 5 characters from this alphabet: the same bytes as the JDK, or a failure where it fails
        char[] alphabet = { 'Q', 'U', 'I', '=', ' ', '$' };
        Random random = new Random(9);
        int[] counters = new int[6];
        for (int length = 0; length <= 5; length++) {
            int combinations = (int) Math.pow(alphabet.length, length);
            for (int n = 0; n < combinations; n++) {
                StringBuilder text = new StringBuilder();
                for (int i = 0, rest = n; i < length; i++, rest /= alphabet.length) {
                    text.append(alphabet[rest % alphabet.length]);
                }
                byte[] expected;
                try {
                    expected = Base64.getDecoder().decode(text.toString().replace(" ", ""));
                } catch (IllegalArgumentException refused) {
                    expected = null;
                }
                byte[] bytes = utf8(response(text.toString()));
                if (expected == null) {
                    assertThrows(ResponseReadException.class, () -> parse(new ByteArrayInputStream(bytes), random),
                            "'" + text + "'");
                } else {
                    assertArrayEquals(expected, parse(new ByteArrayInputStream(bytes), random).mime().get(0),
                            "'" + text + "'");
                }
                counters[length]++;
            }
        }
        assertEquals(6 * 6 * 6 * 6 * 6, counters[5]);
    }

    @ParameterizedTest
    @ValueSource(ints = { 10, 200, 300, 5000 })
    void aResponseCutShortFailsAsAResponseError(int cut) throws Exception {
        byte[] mime = new byte[3000];
        new Random(4).nextBytes(mime);
        byte[] bytes = utf8(response(Base64.getEncoder().encodeToString(mime)));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - cut);

        Exception failure = assertThrows(Exception.class, () -> parse(new ByteArrayInputStream(truncated),
                new Random(1)));
        assertTrue(failure instanceof ResponseReadException || failure instanceof XMLStreamException, failure.toString());
    }

    @Test
    void aBrokenConnectionInsideTheTextIsAResponseFailureNotTheReaders() throws Exception {
        byte[] bytes = utf8(response(Base64.getEncoder().encodeToString(new byte[50_000])));
        InputStream breaking = new SequenceInputStream(new ByteArrayInputStream(bytes, 0, 30_000), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });

        ResponseReadException failure = assertThrows(ResponseReadException.class,
                () -> parse(breaking, new Random(1)));
        assertTrue(failure.getMessage().contains("connection reset"), failure.getMessage());
    }

    @Test
    void aSecondMimeContentThatIsSkippedGoesToTheParser() throws Exception {
        String response = response("QUJD").replace("</t:MimeContent>",
                "</t:MimeContent><t:MimeContent>REVG</t:MimeContent>");
        MimeContentSplitter splitter = new MimeContentSplitter(new ByteArrayInputStream(utf8(response)));
        XMLStreamReader xml = splitter.follow(EwsXml.reader(splitter));
        int seen = 0;
        while (xml.hasNext()) {
            if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("MimeContent")) {
                if (seen++ == 0) {
                    try (InputStream in = splitter.take(xml)) {
                        assertArrayEquals(utf8("ABC"), in.readAllBytes());
                    }
                    xml.next();
                } else {
                    assertEquals("REVG", xml.getElementText()); // skipped by GetItem, read by the parser
                }
            }
        }
        assertEquals(2, seen);
        assertEquals(1, splitter.textsTaken());
    }

    @Test
    void theTextIsNotTakenWhereTheParserIsBehind() throws Exception {
        // a parser that read ahead, as a parser may: it is at the first MimeContent when the second is held back
        byte[] bytes = utf8(response("QUJD", "REVG"));
        MimeContentSplitter splitter = new MimeContentSplitter(new ByteArrayInputStream(bytes));
        byte[] first = new byte[bytes.length];
        int n = 0;
        for (int read; (read = splitter.read(first, n, first.length - n)) > 0;) {
            n += read;
            if (new String(first, 0, n, StandardCharsets.UTF_8).split("<t:MimeContent ", -1).length == 3) {
                break; // the second start tag was passed on: its text is held
            }
        }
        XMLStreamReader xml = splitter.follow(EwsXml.reader(new ByteArrayInputStream(first, 0, n)));
        while (!(xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("MimeContent"))) {
            // to the first
        }
        assertNull(splitter.take(xml));
    }

    @Test
    void theTextIsOnlyTakenWhereTheParserIs() throws Exception {
        MimeContentSplitter splitter = new MimeContentSplitter(new ByteArrayInputStream(utf8(response("QUJD"))));
        XMLStreamReader xml = splitter.follow(EwsXml.reader(splitter));
        XMLStreamReader unfollowed = EwsXml.reader(new MimeContentSplitter(new ByteArrayInputStream(utf8(response("QUJD")))));
        while (!(xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("MimeContent"))) {
            assertNull(splitter.take(xml), "event " + xml.getEventType());
        }
        assertNull(splitter.take(unfollowed));
        assertNotNull(splitter.take(xml));
    }

    @Test
    void aDoctypeStopsTheSplittingAndTheParserRefusesIt() throws Exception {
        String response = response("QUJD").replace("<s:Envelope", "<!DOCTYPE s:Envelope [<!ENTITY e \"QUJD\">]><s:Envelope");
        MimeContentSplitter splitter = new MimeContentSplitter(new ByteArrayInputStream(utf8(response)));

        assertThrows(XMLStreamException.class, () -> {
            XMLStreamReader xml = splitter.follow(EwsXml.reader(splitter));
            EwsXml.enterBody(xml);
        });
        assertEquals(0, splitter.textsTaken());
    }

    @Test
    void aHugeMessageStreamsThroughWithoutItsSizeInMemory() throws Exception {
        long size = 57L * 1024 * 2700; // 150 MiB
        String[] around = response("\u0000").split("\u0000");
        InputStream body = new SequenceInputStream(new ByteArrayInputStream(utf8(around[0])),
                new SequenceInputStream(new GeneratedBase64(size, 77), new ByteArrayInputStream(utf8(around[1]))));
        MimeContentSplitter splitter = new MimeContentSplitter(body);
        XMLStreamReader xml = splitter.follow(EwsXml.reader(splitter));
        while (!(xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("MimeContent"))) {
            // on to the text
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        CRC32 crc = new CRC32();
        long read = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = splitter.take(xml)) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                crc.update(buffer, 0, n);
                read += n;
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        assertEquals(size, read);
        assertEquals(GeneratedBase64.crc(size, 77), crc.getValue());
        // the generator's own chunks aside, nothing is allocated per block: no copy of the message, no churn
        assertTrue(allocated < 8L * 1024 * 1024, allocated + " bytes allocated decoding 150 MB");
        assertEquals(XMLStreamConstants.END_ELEMENT, xml.next());
    }

    /** Base64 of {@code size} pseudo-random bytes, made as it is read, in 76-character lines, allocating nothing. */
    private static final class GeneratedBase64 extends InputStream {
        private static final int CHUNK = 57 * 1024; // a multiple of 57 and of 3: whole lines, no padding inside
        private final Random random;
        private long left;
        private final byte[] raw = new byte[CHUNK];
        private final byte[] text = new byte[CHUNK / 57 * 78];
        private int position;
        private int end;

        GeneratedBase64(long size, long seed) {
            this.left = size;
            this.random = new Random(seed);
            if (size % CHUNK != 0) {
                throw new IllegalArgumentException("whole chunks only");
            }
        }

        static long crc(long size, long seed) {
            Random random = new Random(seed);
            CRC32 crc = new CRC32();
            byte[] raw = new byte[CHUNK];
            for (long left = size; left > 0; left -= CHUNK) {
                random.nextBytes(raw);
                crc.update(raw);
            }
            return crc.getValue();
        }

        @Override
        public int read() {
            fail("read byte by byte");
            return -1;
        }

        @Override
        public int read(byte[] to, int offset, int length) {
            if (position == end) {
                if (left == 0) {
                    return -1;
                }
                random.nextBytes(raw);
                left -= CHUNK;
                end = Base64.getMimeEncoder().encode(raw, text);
                text[end++] = '\r';
                text[end++] = '\n';
                position = 0;
            }
            int n = Math.min(length, end - position);
            System.arraycopy(text, position, to, offset, n);
            position += n;
            return n;
        }
    }
}
