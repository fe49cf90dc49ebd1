package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The MIME bytes of one {@code t:MimeContent} element, decoded from its base64 text as the response arrives: the
 * parser hands out text in chunks, so a message of any size never sits in memory whole. Line breaks and other
 * whitespace in the text are skipped; anything else that is not base64 fails the read. Ends at the element's end;
 * closing it skips whatever text is left, leaving the reader at that end.
 *
 * <p>It decodes whole blocks of text with the JDK's array decoder rather than wrapping a decoding stream: Java
 * 17's {@code Base64.Decoder.wrap} pulls its input one byte at a time, which made decoding the daemon's largest
 * cost per message.
 */
final class MimeContentStream extends InputStream {

    /** A failure reading the response, as opposed to one of whoever reads this stream. */
    static final class ResponseReadException extends IOException {
        ResponseReadException(XMLStreamException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized XMLStreamException getCause() {
            return (XMLStreamException) super.getCause();
        }
    }

    private static final int BLOCK = 16 * 1024;

    private final XMLStreamReader xml;
    private final byte[] encoded = new byte[BLOCK];
    private int encodedLength;
    private final byte[] decoded = new byte[BLOCK / 4 * 3];
    private int decodedPosition;
    private int decodedLength;
    private char[] chunk;
    private int chunkPosition;
    private int chunkEnd;
    private boolean finished;

    /** The reader must be at the start of the MimeContent element. */
    MimeContentStream(XMLStreamReader xml) {
        this.xml = xml;
    }

    @Override
    public int read() throws IOException {
        if (!fillDecoded()) {
            return -1;
        }
        return decoded[decodedPosition++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fillDecoded()) {
            return -1;
        }
        int count = Math.min(length, decodedLength - decodedPosition);
        System.arraycopy(decoded, decodedPosition, buffer, offset, count);
        decodedPosition += count;
        return count;
    }

    @Override
    public void close() throws IOException {
        while (fillText()) {
            chunkPosition = chunkEnd;
        }
    }

    /** True when there are decoded bytes to hand out, decoding the next block of text if need be. */
    private boolean fillDecoded() throws IOException {
        while (decodedPosition == decodedLength) {
            while (encodedLength < BLOCK && fillText()) {
                int limit = Math.min(chunkEnd, chunkPosition + BLOCK - encodedLength);
                for (; chunkPosition < limit; chunkPosition++) {
                    char c = chunk[chunkPosition];
                    if (c > ' ') {
                        if (c > 0x7f) {
                            throw notBase64();
                        }
                        encoded[encodedLength++] = (byte) c;
                    }
                }
            }
            if (encodedLength == 0) {
                return false;
            }
            try {
                // a block is a whole number of quadruples; only the last one of the text may be shorter
                decodedLength = encodedLength == BLOCK ? Base64.getDecoder().decode(encoded, decoded)
                        : Base64.getDecoder().decode(Arrays.copyOf(encoded, encodedLength), decoded);
            } catch (IllegalArgumentException e) {
                throw notBase64();
            }
            decodedPosition = 0;
            encodedLength = 0;
        }
        return true;
    }

    private ResponseReadException notBase64() {
        return new ResponseReadException(new XMLStreamException("MimeContent is not base64", xml.getLocation()));
    }

    /** True when there is text left, moving on to the next text event if need be. */
    private boolean fillText() throws IOException {
        try {
            while (chunkPosition == chunkEnd && !finished) {
                switch (xml.next()) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        chunk = xml.getTextCharacters();
                        chunkPosition = xml.getTextStart();
                        chunkEnd = chunkPosition + xml.getTextLength();
                    }
                    case XMLStreamConstants.END_ELEMENT -> finished = true;
                    case XMLStreamConstants.START_ELEMENT ->
                        throw new XMLStreamException("unexpected element in MimeContent", xml.getLocation());
                    default -> {
                        // comments and processing instructions carry no content
                    }
                }
            }
            return chunkPosition < chunkEnd;
        } catch (XMLStreamException e) {
            throw new ResponseReadException(e);
        }
    }
}
