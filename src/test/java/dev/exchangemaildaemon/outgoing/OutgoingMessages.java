package dev.exchangemaildaemon.outgoing;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Messages as business software writes them: complete MIME with CRLF line ends. */
final class OutgoingMessages {

    private OutgoingMessages() {
    }

    /** A message from {@code from} to {@code to}, its body with a line that SMTP must dot-stuff on the way. */
    static byte[] invoice(String from, String to) {
        return message(from, "<" + to + ">", "<" + UUID.randomUUID() + "@erp.example>", "Total: 42.00 EUR");
    }

    /**
     * A message with the To header, Message-ID and last body line given, as an ERP writes it that derives the
     * Message-ID from a document number.
     */
    static byte[] message(String from, String toHeader, String messageId, String lastLine) {
        return ("From: ERP <" + from + ">\r\n"
                + "To: " + toHeader + "\r\n"
                + "Subject: Invoice " + messageId + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "Please find the invoice below.\r\n"
                + ".a line that starts with a dot\r\n"
                + lastLine + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A message of at least {@code bytes} bytes. */
    static byte[] large(String from, String to, int bytes) {
        StringBuilder body = new StringBuilder(new String(invoice(from, to), StandardCharsets.UTF_8));
        while (body.length() < bytes) {
            body.append("0123456789".repeat(7)).append("\r\n");
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
