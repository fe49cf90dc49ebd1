package dev.exchangemaildaemon.ews;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import javax.xml.stream.XMLStreamException;

import dev.exchangemaildaemon.ews.MimeContentStream.ResponseReadException;

/**
 * The MIME bytes of one {@code MimeContent} element, decoded from the base64 text that {@link MimeContentSplitter}
 * held back, straight from the response's bytes into the reader's buffer: four bytes of text at a time become
 * three of MIME, with one table lookup each and no call per byte, which is fast with or without a JIT.
 *
 * <p>It reads what XML allows in that text and base64 does not forbid: whitespace (skipped, as line breaks in
 * base64 are), character references ({@code &#13;}, {@code &#x41;}: their character counts as if written out),
 * CDATA sections (their content is text), comments and processing instructions (skipped). Anything else fails the
 * read as a response error, as {@link MimeContentStream} does: a byte that is not base64 (or a reference to one,
 * {@code &lt;} included), an element inside, a quadruple cut short by more than padding, text after the padding,
 * a response that ends before the element does. Only the last quadruple may be short, padded or not, as the
 * JDK's decoder allows. It stops at the {@code <} of the end tag, which it leaves to the parser.
 */
final class MimeContentBytes extends InputStream {

    /** Each byte's 6-bit value in the base64 alphabet, or one of the negative classes below. */
    private static final byte[] VALUES = new byte[256];
    private static final byte OTHER = -1;
    private static final byte SPACE = -2;
    private static final byte PAD = -3;
    private static final byte MARKUP = -4; // '<'
    private static final byte REFERENCE = -5; // '&'
    private static final byte BRACKET = -6; // ']', which may end a CDATA section

    static {
        Arrays.fill(VALUES, OTHER);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
        VALUES[' '] = SPACE;
        VALUES['\t'] = SPACE;
        VALUES['\n'] = SPACE;
        VALUES['\r'] = SPACE;
        VALUES['='] = PAD;
        VALUES['<'] = MARKUP;
        VALUES['&'] = REFERENCE;
        VALUES[']'] = BRACKET;
    }

    /** The longest character reference taken: {@code &#x0000000D;} would be refused, none is that long. */
    private static final int LONGEST_REFERENCE = 10;

    private final MimeContentSplitter from;
    /** The sextets of the quadruple being read, and how many. */
    private int bits;
    private int sextets;
    /** 0 before any padding; 1 after the first '=' of "xx=="; 2 once the padding is complete. */
    private int padding;
    private boolean inCdata;
    private boolean ended;
    /** Decoded bytes that did not fit the reader's buffer: {@code [spillStart, spillEnd)}. */
    private final byte[] spill = new byte[3];
    private int spillStart;
    private int spillEnd;
    private final byte[] one = new byte[1];
    private byte[] skipped;

    MimeContentBytes(MimeContentSplitter from) {
        this.from = from;
    }

    /** Begins the text of the next element, right after its start tag. */
    void start() {
        bits = 0;
        sextets = 0;
        padding = 0;
        inCdata = false;
        ended = false;
        spillStart = 0;
        spillEnd = 0;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] to, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int out = offset;
        int outEnd = offset + length;
        while (spillStart < spillEnd && out < outEnd) {
            to[out++] = spill[spillStart++];
        }
        while (out < outEnd && !ended) {
            if (from.position == from.limit && !from.more()) {
                throw failure("the response ends inside MimeContent", from.limit);
            }
            if (sextets == 0 && padding == 0) {
                out = decodeQuadruples(to, out, outEnd);
                if (out == outEnd || from.position == from.limit) {
                    continue;
                }
            }
            // a byte that is not base64, the last few of the buffer, or less room than three bytes
            out = decodeOne(to, out, outEnd);
        }
        int n = out - offset;
        return n == 0 && ended ? -1 : n;
    }

    /** The fast path: whole quadruples of base64, no whitespace, each straight into three bytes of the buffer. */
    private int decodeQuadruples(byte[] to, int out, int outEnd) {
        byte[] in = from.buffer;
        byte[] values = VALUES;
        int p = from.position;
        int inLast = from.limit - 4;
        int outLast = outEnd - 3;
        while (p <= inLast && out <= outLast) {
            int a = values[in[p] & 0xff];
            int b = values[in[p + 1] & 0xff];
            int c = values[in[p + 2] & 0xff];
            int d = values[in[p + 3] & 0xff];
            if ((a | b | c | d) < 0) {
                break;
            }
            int quadruple = a << 18 | b << 12 | c << 6 | d;
            to[out] = (byte) (quadruple >> 16);
            to[out + 1] = (byte) (quadruple >> 8);
            to[out + 2] = (byte) quadruple;
            p += 4;
            out += 3;
        }
        from.position = p;
        return out;
    }

    /** The slow path: one byte of text, whatever it is. */
    private int decodeOne(byte[] to, int out, int outEnd) throws IOException {
        int at = from.position;
        int c = from.buffer[at] & 0xff;
        int value = VALUES[c];
        if (value >= 0) {
            from.position++;
            return sextet(value, to, out, outEnd, at);
        }
        switch (value) {
            case SPACE -> from.position++;
            case PAD -> {
                from.position++;
                pad(at);
            }
            case MARKUP -> {
                if (inCdata) {
                    throw notBase64(at);
                }
                markup(at);
                if (ended) {
                    return finish(to, out, outEnd, from.position);
                }
            }
            case REFERENCE -> {
                if (inCdata) {
                    throw notBase64(at);
                }
                int referenced = reference(at);
                int referencedValue = referenced < 0x80 ? VALUES[referenced] : OTHER;
                if (referencedValue >= 0) {
                    return sextet(referencedValue, to, out, outEnd, at);
                } else if (referencedValue == SPACE) {
                    return out;
                } else if (referencedValue == PAD) {
                    pad(at);
                } else {
                    throw notBase64(at);
                }
            }
            case BRACKET -> {
                if (!inCdata || !startsWith(at, "]]>")) {
                    throw notBase64(at);
                }
                inCdata = false;
                from.position += 3;
            }
            default -> throw notBase64(at);
        }
        return out;
    }

    private int sextet(int value, byte[] to, int out, int outEnd, int at) throws IOException {
        if (padding != 0) {
            throw failure("MimeContent has base64 text after its padding", at);
        }
        bits = bits << 6 | value;
        if (++sextets < 4) {
            return out;
        }
        sextets = 0;
        return emit(3, to, out, outEnd);
    }

    /** The decoded bytes of the quadruple in {@code bits}, its last {@code 3 - count} bytes already dropped. */
    private int emit(int count, byte[] to, int out, int outEnd) {
        int quadruple = bits;
        bits = 0;
        spillStart = 0;
        spillEnd = 0;
        for (int i = 0; i < count; i++) {
            byte decoded = (byte) (quadruple >> (16 - 8 * i));
            if (out < outEnd) {
                to[out++] = decoded;
            } else {
                spill[spillEnd++] = decoded;
            }
        }
        return out;
    }

    /** An '=': ends the last quadruple, "xxx=" or "xx==" (the JDK's decoder refuses "x===", "====" and "xx="). */
    private void pad(int at) throws IOException {
        if (padding == 0 && sextets == 3) {
            padding = 2;
            bits <<= 6;
            sextets = -2; // two bytes to emit at the end
        } else if (padding == 0 && sextets == 2) {
            padding = 1;
        } else if (padding == 1) {
            padding = 2;
            bits <<= 12;
            sextets = -1; // one byte to emit at the end
        } else {
            throw failure("MimeContent has misplaced base64 padding", at);
        }
    }

    /** At the end tag: what is left of the last quadruple, unpadded ("xx", "xxx") or padded. */
    private int finish(byte[] to, int out, int outEnd, int at) throws IOException {
        from.returned();
        if (padding == 1) {
            throw failure("MimeContent ends inside its base64 padding", at);
        }
        return switch (sextets) {
            case 0 -> out;
            case -1 -> emit(1, to, out, outEnd);
            case -2 -> emit(2, to, out, outEnd);
            case 2 -> {
                bits <<= 12;
                yield emit(1, to, out, outEnd);
            }
            case 3 -> {
                bits <<= 6;
                yield emit(2, to, out, outEnd);
            }
            default -> throw failure("MimeContent's base64 text ends with a single character", at);
        };
    }

    /** At a '<': the end tag ends the text; comments and processing instructions are skipped; CDATA is text. */
    private void markup(int at) throws IOException {
        if (!from.ensure(2)) {
            throw failure("the response ends inside MimeContent", at);
        }
        at = from.position;
        byte next = from.buffer[at + 1];
        if (next == '/') {
            ended = true; // the end tag is the parser's, which checks its name
        } else if (startsWith(at, "<![CDATA[")) {
            inCdata = true;
            from.position += "<![CDATA[".length();
        } else if (startsWith(at, "<!--")) {
            from.position += "<!--".length();
            skipPast("-->");
        } else if (next == '?') {
            from.position += 2;
            skipPast("?>");
        } else {
            throw failure("MimeContent holds markup that is not base64 text", at);
        }
    }

    /**
     * At a '&': the character a reference stands for, {@code position} then after it. Named entities stand for
     * characters outside base64 ({@code &lt;} and the like) or are undeclared: both fail.
     */
    private int reference(int at) throws IOException {
        from.ensure(LONGEST_REFERENCE + 1);
        at = from.position;
        byte[] in = from.buffer;
        int end = Math.min(from.limit, at + LONGEST_REFERENCE + 1);
        int semicolon = -1;
        for (int i = at + 1; i < end; i++) {
            if (in[i] == ';') {
                semicolon = i;
                break;
            }
        }
        if (semicolon < 0 || semicolon < at + 3 || in[at + 1] != '#') {
            throw notBase64(at);
        }
        boolean hex = in[at + 2] == 'x';
        int digits = hex ? at + 3 : at + 2;
        if (digits == semicolon) {
            throw notBase64(at);
        }
        int code = 0;
        for (int i = digits; i < semicolon; i++) {
            int digit = Character.digit(in[i], hex ? 16 : 10);
            if (digit < 0) {
                throw notBase64(at);
            }
            code = code * (hex ? 16 : 10) + digit;
        }
        from.position = semicolon + 1;
        return code;
    }

    private boolean startsWith(int at, String text) throws IOException {
        from.ensure(text.length());
        at = from.position;
        if (from.limit - at < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (from.buffer[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Moves {@code position} past the next occurrence of {@code end}, reading on as need be. */
    private void skipPast(String end) throws IOException {
        while (true) {
            byte[] in = from.buffer;
            for (int i = from.position; i + end.length() <= from.limit; i++) {
                if (in[i] == end.charAt(0) && startsWithAt(in, i, end)) {
                    from.position = i + end.length();
                    return;
                }
            }
            from.position = Math.max(from.position, from.limit - (end.length() - 1));
            if (!from.more()) {
                throw failure("the response ends inside MimeContent", from.limit);
            }
        }
    }

    private static boolean startsWithAt(byte[] in, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (in[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Reads to the end of the text, so that the parser goes on after it; the text is still checked. */
    @Override
    public void close() throws IOException {
        if (ended && spillStart == spillEnd) {
            return;
        }
        if (skipped == null) {
            skipped = new byte[8192];
        }
        while (read(skipped, 0, skipped.length) >= 0) {
            // discarded
        }
    }

    private ResponseReadException notBase64(int at) {
        return failure("MimeContent is not base64", at);
    }

    private ResponseReadException failure(String message, int at) {
        return new ResponseReadException(new XMLStreamException(message + " (byte " + from.offsetOf(at)
                + " of the response)"));
    }
}
