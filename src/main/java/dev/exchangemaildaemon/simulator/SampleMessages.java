package dev.exchangemaildaemon.simulator;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Realistic MIME messages, with CRLF line ends as Exchange stores them: plain text, HTML, an RFC 2047 encoded
 * subject, and multipart/mixed with a base64 attachment.
 */
final class SampleMessages {

    private SampleMessages() {
    }

    static List<byte[]> forRecipient(String address, ZonedDateTime sent) {
        return List.of(
                plainText(address, sent),
                html(address, sent.plusMinutes(1)),
                unicodeSubject(address, sent.plusMinutes(2)),
                withAttachment(address, sent.plusMinutes(3)));
    }

    private static byte[] plainText(String to, ZonedDateTime sent) {
        return message(headers("Alice Supplier <alice@fabrikam.example>", to, "Invoice 2024-0117", sent)
                + "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                + "Hello,\r\n"
                + "\r\n"
                + "please find our invoice 2024-0117 over EUR 1,250.00, due in 30 days.\r\n"
                + "\r\n"
                + "Regards,\r\n"
                + "Alice\r\n");
    }

    private static byte[] html(String to, ZonedDateTime sent) {
        return message(headers("Bob Buyer <bob@northwind.example>", to, "Order confirmation 55231", sent)
                + "Content-Type: text/html; charset=\"utf-8\"\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n"
                + "\r\n"
                + "<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3Dutf-8\">"
                + "</head>\r\n"
                + "<body><p>Order <b>55231</b> is confirmed.</p><p>Total: 99.90 EUR</p></body></html>\r\n");
    }

    private static byte[] unicodeSubject(String to, ZonedDateTime sent) {
        String subject = "=?UTF-8?B?" + base64("Rechnung für März – Grüße aus Köln") + "?=";
        return message(headers("=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@contoso-partner.example>", to,
                subject, sent)
                + "Content-Type: text/plain; charset=\"utf-8\"\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Anbei die Rechnung für März. Grüße, Jürgen\r\n");
    }

    private static byte[] withAttachment(String to, ZonedDateTime sent) {
        String boundary = "_004_" + UUID.randomUUID().toString().replace("-", "") + "_";
        String csv = "invoice;amount;currency\r\n2024-0118;310.00;EUR\r\n2024-0119;42.50;EUR\r\n";
        return message(headers("Carol Accounts <carol@fabrikam.example>", to, "Statement with attachment", sent)
                + "Content-Type: multipart/mixed;\r\n\tboundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                + "Our statement is attached.\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/csv; name=\"statement.csv\"\r\n"
                + "Content-Description: statement.csv\r\n"
                + "Content-Disposition: attachment; filename=\"statement.csv\"; size=" + csv.length() + "\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
                        .encodeToString(csv.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
                + "\r\n"
                + "--" + boundary + "--\r\n");
    }

    private static String headers(String from, String to, String subject, ZonedDateTime sent) {
        return "From: " + from + "\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(sent.withZoneSameInstant(ZoneOffset.UTC))
                + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@simulator.example>\r\n"
                + "MIME-Version: 1.0\r\n";
    }

    private static byte[] message(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
