package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The base64 text of one {@code t:MimeContent} element as ASCII bytes, read from the response as it arrives: the
 * parser hands out text in chunks, so a message of any size never sits in memory whole. Ends at the element's end;
 * closing it skips whatever text is left, leaving the reader at that end.
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

    private final XMLStreamReader xml;
    private char[] chunk;
    private int position;
    private int end;
    private boolean finished;

    /** The reader must be at the start of the MimeContent element. */
    MimeContentStream(XMLStreamReader xml) {
        this.xml = xml;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int count = Math.min(length, end - position);
        for (int i = 0; i < count; i++) {
            char c = chunk[position++];
            if (c > 0x7f) {
                throw new ResponseReadException(new XMLStreamException("MimeContent is not base64", xml.getLocation()));
            }
            buffer[offset + i] = (byte) c;
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        while (fill()) {
            position = end;
        }
    }

    /** True when there is text to hand out, moving on to the next text event if need be. */
    private boolean fill() throws IOException {
        try {
            while (position == end && !finished) {
                switch (xml.next()) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        chunk = xml.getTextCharacters();
                        position = xml.getTextStart();
                        end = position + xml.getTextLength();
                    }
                    case XMLStreamConstants.END_ELEMENT -> finished = true;
                    case XMLStreamConstants.START_ELEMENT ->
                        throw new XMLStreamException("unexpected element in MimeContent", xml.getLocation());
                    default -> {
                        // comments and processing instructions carry no content
                    }
                }
            }
            return position < end;
        } catch (XMLStreamException e) {
            throw new ResponseReadException(e);
        }
    }
}
