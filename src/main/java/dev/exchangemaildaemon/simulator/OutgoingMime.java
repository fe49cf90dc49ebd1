package dev.exchangemaildaemon.simulator;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The MIME message Exchange makes of a message created from properties: headers from the sender and recipients
 * (never Bcc), the body as base64 UTF-8 text or HTML, CRLF line ends.
 */
public final class OutgoingMime {

    private OutgoingMime() {
    }

    public static byte[] build(String from, List<String> to, List<String> cc, String subject, String body, boolean html,
                        ZonedDateTime date) {
        StringBuilder mime = new StringBuilder()
                .append("From: <").append(from).append(">\r\n");
        if (!to.isEmpty()) {
            mime.append("To: ").append(addressList(to)).append("\r\n");
        }
        if (!cc.isEmpty()) {
            mime.append("Cc: ").append(addressList(cc)).append("\r\n");
        }
        String normalisedBody = body.replace("\r\n", "\n").replace("\n", "\r\n");
        mime.append("Subject: ").append(encodedWord(subject)).append("\r\n")
                .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        date.withZoneSameInstant(ZoneOffset.UTC))).append("\r\n")
                .append("Message-ID: <").append(UUID.randomUUID()).append("@simulator.example>\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: ").append(html ? "text/html" : "text/plain").append("; charset=\"utf-8\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n")
                .append("\r\n")
                .append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
                        .encodeToString(normalisedBody.getBytes(StandardCharsets.UTF_8)))
                .append("\r\n");
        return mime.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String addressList(List<String> addresses) {
        return String.join(", ", addresses.stream().map(address -> "<" + address + ">").toList());
    }

    /** The text as is if it is printable ASCII, else as an RFC 2047 encoded word. */
    private static String encodedWord(String text) {
        boolean plain = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return plain ? text
                : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
