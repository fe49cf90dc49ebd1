package dev.exchangemaildaemon.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The seeded mailbox, the same bytes for a seed on every machine: small messages of 1-16 KB (plain, HTML, a fifth
 * with an attachment, unicode subjects and bodies) and one big multipart message with a base64 attachment.
 */
final class MessageGenerator {

    private static final String[] SUBJECTS = {
        "Rechnung Nr. %d – Zahlungseingang bestätigt", "Commande n° %d : accusé de réception", "Order %d shipped",
        "注文番号 %d のご確認", "Заказ %d: счёт во вложении", "Faktura %d — påminnelse", "Invoice %d ✅ approved",
        "EDI ORDERS %d", "Ελέγξτε την παραγγελία %d", "Lieferavis %d (Straße & Söhne)" };
    private static final String[] WORDS = {
        "invoice", "Rechnung", "Lieferung", "commande", "déjà", "naïve", "€", "Grüße", "日本語", "данные", "ÆØÅ",
        "order", "shipment", "payment", "reference", "quantity", "Straße", "über", "🚚", "line", "total", "EDI" };

    private MessageGenerator() {
    }

    static List<byte[]> small(long seed, int count, String to) {
        Random random = new Random(seed);
        List<byte[]> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int target = 1024 + random.nextInt(15 * 1024 + 1);
            messages.add(message(random, i, target, to));
        }
        return messages;
    }

    private static byte[] message(Random random, int n, int targetSize, String to) {
        String subject = SUBJECTS[n % SUBJECTS.length].formatted(100000 + n);
        boolean html = n % 3 == 1;
        boolean attachment = n % 5 == 2;
        StringBuilder head = new StringBuilder()
                .append("Return-Path: <sender").append(n % 37).append("@supplier.example>\r\n")
                .append("From: =?UTF-8?B?").append(b64("Lieferant Müller & Söhne " + (n % 37)))
                .append("?= <sender").append(n % 37).append("@supplier.example>\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Subject: =?UTF-8?B?").append(b64(subject)).append("?=\r\n")
                .append("Date: Mon, 2 Feb 2026 ").append(String.format("%02d:%02d:%02d", (n / 3600) % 24, (n / 60) % 60, n % 60))
                .append(" +0000\r\n")
                .append("Message-ID: <bench-").append(n).append('-').append(Long.toHexString(random.nextLong()))
                .append("@supplier.example>\r\n")
                .append("MIME-Version: 1.0\r\n");
        String boundary = "=_bench_" + n;
        int bodyBudget = Math.max(200, targetSize - head.length() - 300);
        int attachmentBytes = attachment ? bodyBudget / 2 * 3 / 4 : 0;
        int textBudget = attachment ? bodyBudget / 2 : bodyBudget;
        String text = text(random, textBudget, html);
        StringBuilder out = new StringBuilder(head);
        String textType = html ? "text/html" : "text/plain";
        if (attachment) {
            out.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n")
                    .append("--").append(boundary).append("\r\n")
                    .append("Content-Type: ").append(textType).append("; charset=UTF-8\r\n")
                    .append("Content-Transfer-Encoding: 8bit\r\n\r\n").append(text).append("\r\n")
                    .append("--").append(boundary).append("\r\n")
                    .append("Content-Type: application/pdf; name=\"Beleg-").append(n).append(".pdf\"\r\n")
                    .append("Content-Disposition: attachment; filename=\"Beleg-").append(n).append(".pdf\"\r\n")
                    .append("Content-Transfer-Encoding: base64\r\n\r\n");
            byte[] bytes = new byte[attachmentBytes];
            random.nextBytes(bytes);
            out.append(mimeBase64(bytes)).append("--").append(boundary).append("--\r\n");
        } else {
            out.append("Content-Type: ").append(textType).append("; charset=UTF-8\r\n")
                    .append("Content-Transfer-Encoding: 8bit\r\n\r\n").append(text).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Random random, int budget, boolean html) {
        StringBuilder text = new StringBuilder(budget + 80);
        if (html) {
            text.append("<html><body><p>");
        }
        int line = 0;
        while (text.length() < budget) {
            String word = WORDS[random.nextInt(WORDS.length)];
            text.append(word);
            line += word.length() + 1;
            if (line > 70) {
                text.append(html ? "<br>\r\n" : "\r\n");
                line = 0;
            } else {
                text.append(' ');
            }
        }
        if (html) {
            text.append("</p></body></html>");
        }
        return text.toString();
    }

    /** One message of about {@code size} bytes: a short text part and a base64 attachment filling the rest. */
    static byte[] big(long seed, long size, String to) {
        Random random = new Random(seed);
        String head = "From: Scanner <scanner@supplier.example>\r\nTo: " + to + "\r\n"
                + "Subject: =?UTF-8?B?" + b64("Großer Scan – 100 MB") + "?=\r\n"
                + "Date: Mon, 2 Feb 2026 12:00:00 +0000\r\nMessage-ID: <bench-big-" + seed + "@supplier.example>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"=_big\"\r\n\r\n"
                + "--=_big\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nDer Scan im Anhang.\r\n"
                + "--=_big\r\nContent-Type: application/octet-stream; name=\"scan.tif\"\r\n"
                + "Content-Disposition: attachment; filename=\"scan.tif\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        String tail = "--=_big--\r\n";
        long base64Budget = size - head.length() - tail.length();
        long rawBytes = base64Budget / 78 * 57;  // 57 raw bytes make one 76-character line plus CRLF
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size + 1024);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        byte[] chunk = new byte[57 * 1024];
        Base64.Encoder encoder = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));
        for (long done = 0; done < rawBytes; done += chunk.length) {
            int length = (int) Math.min(chunk.length, rawBytes - done);
            random.nextBytes(chunk);
            byte[] encoded = encoder.encode(length == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, length));
            out.writeBytes(encoded);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String mimeBase64(byte[] bytes) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes) + "\r\n";
    }
}
