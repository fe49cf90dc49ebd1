package dev.exchangemaildaemon.testing;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Small MIME messages, each with its own Message-ID. */
public final class TestMessages {

    private TestMessages() {
    }

    public static byte[] plain(String to, String subject) {
        String mime = "Message-ID: <" + UUID.randomUUID() + "@test.example>\r\n"
                + "From: Supplier <billing@supplier.example>\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + subject + ": Grüße aus dem Test\r\n";
        return mime.getBytes(StandardCharsets.UTF_8);
    }
}
