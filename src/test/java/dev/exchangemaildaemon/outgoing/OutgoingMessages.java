package dev.exchangemaildaemon.outgoing;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Messages as business software writes them: complete MIME with CRLF line ends. */
final class OutgoingMessages {

    private OutgoingMessages() {
    }

    /** A message from {@code from} to {@code to}, its body with a line that SMTP must dot-stuff on the way. */
    static byte[] invoice(String from, String to) {
        return ("From: ERP <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: Invoice " + UUID.randomUUID() + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@erp.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "Please find the invoice below.\r\n"
                + ".a line that starts with a dot\r\n"
                + "Total: 42.00 EUR\r\n").getBytes(StandardCharsets.UTF_8);
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
