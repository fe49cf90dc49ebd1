package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

import dev.exchangemaildaemon.ews.MimeContentStream.ResponseReadException;

/**
 * A GetItem response's bytes on their way to the StAX parser, which still reads and checks the whole envelope, with
 * the base64 text of each {@code MimeContent} element held back for GetItem to decode straight from the bytes (see
 * {@link MimeContentBytes}). Going through the parser, that text (nearly all of a response) was decoded from UTF-8
 * into characters, scanned again by the parser, copied back into bytes and only then decoded: most of the poll
 * thread's own work, and the kind of code that is slow without a JIT.
 *
 * <p>It follows the XML at the level of bytes, as far as it must to find start tags (text, tags, quoted attribute
 * values, comments, CDATA sections, processing instructions), and ends each read right after the {@code >} of a
 * {@code MimeContent} start tag (any prefix). The parser, which reads no further than it needs, then reports that
 * element; {@link #take} hands its text over if the parser is exactly there: it has not read since, and it has
 * reported as many MimeContent start tags as were passed to it (counted by {@link #follow}). If the parser reads
 * on instead (the element is skipped, or a parser read ahead), the text goes to the parser as before and
 * {@link MimeContentStream} decodes it. A DOCTYPE ends the splitting: the parser refuses it.
 */
final class MimeContentSplitter extends InputStream {

    private static final int BUFFER = 64 * 1024;
    private static final byte[] LOCAL_NAME = { 'M', 'i', 'm', 'e', 'C', 'o', 'n', 't', 'e', 'n', 't' };
    private static final byte[] COMMENT_OPEN = { '-', '-' };
    private static final byte[] CDATA_OPEN = { '[', 'C', 'D', 'A', 'T', 'A', '[' };

    // where the scanner is in the XML
    private static final int TEXT = 0;
    private static final int MARKUP = 1; // after '<'
    private static final int NAME = 2; // a start tag's name
    private static final int ATTRIBUTES = 3; // the rest of a start tag
    private static final int DOUBLE_QUOTED = 4;
    private static final int SINGLE_QUOTED = 5;
    private static final int END_TAG = 6;
    private static final int INSTRUCTION = 7; // <? ... ?>
    private static final int DECLARATION = 8; // after "<!": a comment, a CDATA section or a DOCTYPE
    private static final int COMMENT = 9;
    private static final int CDATA = 10;
    private static final int OFF = 11; // a DOCTYPE was met: everything goes to the parser

    private final InputStream body;
    /** The bytes read from the body and not yet passed on: {@code [position, limit)}. */
    final byte[] buffer = new byte[BUFFER];
    int position;
    int limit;
    /** How many bytes came from the body before {@code buffer[0]}: for positions in error messages. */
    private long bufferStart;
    private boolean bodyEnded;

    private final MimeContentBytes held = new MimeContentBytes(this);
    private final byte[] one = new byte[1];
    /** How many MimeContent start tags were passed to the parser. */
    private int startTags;
    /** Whether the text after the last of them is held back: the parser has not read since. */
    private boolean holding;
    /** A text is being read by {@link MimeContentBytes}: the parser may not read until it ends. */
    private boolean taken;
    /** How many texts were taken: see {@link #textsTaken}. */
    private int texts;

    private int state = TEXT;
    /** In NAME: how much of "MimeContent" the local name matched so far, -1 once it cannot. */
    private int nameMatch;
    private boolean mimeContentTag;
    /** In ATTRIBUTES: the last byte that was not whitespace was '/'. */
    private boolean slash;
    /** In DECLARATION: how much of {@link #opening} matched; in COMMENT, CDATA, INSTRUCTION: of the end. */
    private int count;
    private byte[] opening;

    MimeContentSplitter(InputStream body) {
        this.body = body;
    }

    /**
     * The parser's reader, counting the MimeContent start tags it reports (however it is moved on) for
     * {@link #take}. Those it reported before are not counted: then no text is taken, which is slower, not wrong.
     */
    XMLStreamReader follow(XMLStreamReader parser) {
        return new Follower(parser);
    }

    /**
     * The text of the MimeContent element the reader from {@link #follow} is at, decoded; null if its text went to
     * the parser. Once the returned stream is closed, the reader's next event is that element's end.
     */
    InputStream take(XMLStreamReader reader) {
        if (!holding || !(reader instanceof Follower follower) || follower.startTags != startTags
                || reader.getEventType() != XMLStreamConstants.START_ELEMENT) {
            return null;
        }
        holding = false;
        taken = true;
        texts++;
        held.start();
        return held;
    }

    /** How many MimeContent texts were taken so far: tests make sure the bytes path is the one in use. */
    int textsTaken() {
        return texts;
    }

    /** Called by {@link MimeContentBytes} at the text's end, leaving the end tag to the parser. */
    void returned() {
        taken = false;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] to, int offset, int length) throws IOException {
        if (taken) {
            throw new IOException("the parser read on inside a MimeContent element being decoded");
        }
        if (length == 0) {
            return 0;
        }
        holding = false; // the parser reads on: whatever text was held back is its own now
        if (position == limit && !more()) {
            return -1;
        }
        int end = Math.min(limit, position + length);
        int start = position;
        int stop = state == OFF ? end : scan(end);
        int n = stop - start;
        System.arraycopy(buffer, start, to, offset, n);
        position = stop;
        return n;
    }

    /**
     * Follows the XML from {@code position} to {@code end}; returns where the bytes for the parser stop: at
     * {@code end}, or right after a MimeContent start tag, whose text is then held back.
     */
    private int scan(int end) {
        byte[] b = buffer;
        int i = position;
        while (i < end) {
            int c = b[i++];
            switch (state) {
                case TEXT -> {
                    if (c == '<') {
                        state = MARKUP;
                    }
                }
                case MARKUP -> {
                    if (c == '/') {
                        state = END_TAG;
                    } else if (c == '?') {
                        state = INSTRUCTION;
                        count = 0;
                    } else if (c == '!') {
                        state = DECLARATION;
                        count = 0;
                    } else {
                        state = NAME;
                        nameMatch = 0;
                        name(c);
                    }
                }
                case NAME -> {
                    if (c == '>') {
                        mimeContentTag = nameMatch == LOCAL_NAME.length;
                        if (startTagEnded(false)) {
                            return i;
                        }
                    } else if (c == '/' || isSpace(c)) {
                        mimeContentTag = nameMatch == LOCAL_NAME.length;
                        slash = c == '/';
                        state = ATTRIBUTES;
                    } else {
                        name(c);
                    }
                }
                case ATTRIBUTES -> {
                    if (c == '>') {
                        if (startTagEnded(slash)) {
                            return i;
                        }
                    } else if (c == '"') {
                        state = DOUBLE_QUOTED;
                    } else if (c == '\'') {
                        state = SINGLE_QUOTED;
                    } else if (!isSpace(c)) {
                        slash = c == '/';
                    }
                }
                case DOUBLE_QUOTED -> {
                    if (c == '"') {
                        state = ATTRIBUTES;
                        slash = false;
                    }
                }
                case SINGLE_QUOTED -> {
                    if (c == '\'') {
                        state = ATTRIBUTES;
                        slash = false;
                    }
                }
                case END_TAG -> {
                    if (c == '>') {
                        state = TEXT;
                    }
                }
                case INSTRUCTION -> {
                    if (c == '>' && count == 1) {
                        state = TEXT;
                    }
                    count = c == '?' ? 1 : 0;
                }
                case DECLARATION -> {
                    if (count == 0) {
                        opening = c == '-' ? COMMENT_OPEN : CDATA_OPEN;
                    }
                    if (c != opening[count]) {
                        // a DOCTYPE (which the parser refuses), or not XML: the parser has the rest as it is
                        state = OFF;
                        return end;
                    }
                    if (++count == opening.length) {
                        state = opening == COMMENT_OPEN ? COMMENT : CDATA;
                        count = 0;
                    }
                }
                case COMMENT -> {
                    if (c == '>' && count >= 2) {
                        state = TEXT;
                    }
                    count = c == '-' ? count + 1 : 0;
                }
                case CDATA -> {
                    if (c == '>' && count >= 2) {
                        state = TEXT;
                    }
                    count = c == ']' ? count + 1 : 0;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return end;
    }

    private void name(int c) {
        if (c == ':') {
            nameMatch = 0; // the local name starts after the prefix
        } else if (nameMatch >= 0 && nameMatch < LOCAL_NAME.length && c == LOCAL_NAME[nameMatch]) {
            nameMatch++;
        } else {
            nameMatch = -1;
        }
    }

    /** At a start tag's '>': true if it opens a MimeContent element, whose text is then held back. */
    private boolean startTagEnded(boolean empty) {
        state = TEXT;
        if (!mimeContentTag) {
            return false;
        }
        startTags++;
        holding = !empty;
        return holding;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /**
     * Reads more of the body into the buffer, keeping {@code [position, limit)}: false at the body's end. A failure
     * of the body is one of the response, not of whoever reads the MIME.
     */
    boolean more() throws IOException {
        if (bodyEnded) {
            return false;
        }
        if (position > 0 && (limit == buffer.length || position == limit)) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            bufferStart += position;
            limit -= position;
            position = 0;
        }
        int n;
        try {
            n = body.read(buffer, limit, buffer.length - limit);
        } catch (IOException e) {
            throw new ResponseReadException(new XMLStreamException("reading the response: " + e, e));
        }
        if (n < 0) {
            bodyEnded = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** At least that many bytes from {@code position} in the buffer, unless the body ends first. */
    boolean ensure(int bytes) throws IOException {
        while (limit - position < bytes) {
            if (!more()) {
                return false;
            }
        }
        return true;
    }

    /** The position in the response of {@code buffer[index]}, for error messages. */
    long offsetOf(int index) {
        return bufferStart + index;
    }

    /** Counts the MimeContent start tags the parser reports. */
    private static final class Follower extends StreamReaderDelegate {
        private int startTags;

        Follower(XMLStreamReader parser) {
            super(parser);
        }

        @Override
        public int next() throws XMLStreamException {
            return counted(super.next());
        }

        @Override
        public int nextTag() throws XMLStreamException {
            return counted(super.nextTag());
        }

        private int counted(int event) {
            if (event == XMLStreamConstants.START_ELEMENT && "MimeContent".equals(getLocalName())) {
                startTags++;
            }
            return event;
        }
    }
}
