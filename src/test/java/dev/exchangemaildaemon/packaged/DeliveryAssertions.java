package dev.exchangemaildaemon.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MaildirContents;

/** The end state every delivery test asks for, with failure messages that name the messages concerned. */
final class DeliveryAssertions {

    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");
    private static final Pattern SUBJECT = Pattern.compile("(?im)^Subject:\\s*(.*?)\\r?$");

    private DeliveryAssertions() {
    }

    /**
     * {@code new/} and {@code cur/} hold each expected message exactly once, byte for byte, and nothing else: the
     * two are compared as multisets, and a difference is told as messages missing and messages too many.
     */
    static void assertEachDeliveredOnce(DaemonSetup setup, String address, List<byte[]> expected) {
        Map<ByteBuffer, Long> want = count(MaildirContents.wrap(expected));
        Map<ByteBuffer, Long> have = count(MaildirContents.messages(setup.maildir(), address.toLowerCase(java.util.Locale.ROOT)));
        List<String> missing = surplus(want, have);
        List<String> tooMany = surplus(have, want);
        assertEquals("", describe(missing, tooMany), () -> address + ": the Maildir differs from what was seeded ("
                + want.values().stream().mapToLong(Long::longValue).sum() + " seeded, "
                + have.values().stream().mapToLong(Long::longValue).sum() + " in new/ and cur/)");
    }

    /**
     * Whatever is in {@code new/} and {@code cur/} so far is whole and there once: each file equals a different one
     * of the expected messages. A file cut short by a stop would equal none of them.
     */
    static void assertNothingPartialOrTwice(DaemonSetup setup, String address, List<byte[]> expected) {
        Map<ByteBuffer, Long> have = count(MaildirContents.messages(setup.maildir(), address.toLowerCase(java.util.Locale.ROOT)));
        assertEquals(List.of(), surplus(have, count(MaildirContents.wrap(expected))),
                address + ": files in new/ or cur/ that are partial or there twice");
    }

    /** Nothing is left in {@code tmp/}: no message half-written and abandoned. */
    static void assertTmpEmpty(DaemonSetup setup, String address) {
        assertEquals(List.of(), setup.files(address, "tmp"), address + ": files left in tmp/");
    }

    /** The server shows every message of the inbox as read: the after-delivery action reached each one. */
    static void assertAllRead(ExchangeSimulator simulator, String address) {
        List<String> unread = simulator.messages(address, "inbox").stream().filter(message -> !message.read())
                .map(message -> label(message.mime())).toList();
        assertEquals(List.of(), unread, address + ": still unread on the server");
    }

    /** How many messages the server still shows as unread. */
    static long unreadOnServer(ExchangeSimulator simulator, String address) {
        return simulator.messages(address, "inbox").stream().filter(message -> !message.read()).count();
    }

    /** A message as a person finds it again: its Message-ID, subject and size. */
    static String label(byte[] mime) {
        String head = new String(mime, 0, Math.min(mime.length, 8192), StandardCharsets.ISO_8859_1);
        return find(MESSAGE_ID, head) + " \"" + find(SUBJECT, head) + "\" (" + mime.length + " bytes)";
    }

    /** The messages of which {@code more} holds more copies than {@code fewer}, by label, with how many more. */
    private static List<String> surplus(Map<ByteBuffer, Long> more, Map<ByteBuffer, Long> fewer) {
        List<String> labels = new ArrayList<>();
        more.forEach((message, count) -> {
            long other = fewer.getOrDefault(message, 0L);
            if (count > other) {
                labels.add(label(bytes(message)) + (count - other > 1 ? " x" + (count - other) : ""));
            }
        });
        labels.sort(null);
        return labels;
    }

    /** The messages as a multiset: equal content, equal key. */
    private static Map<ByteBuffer, Long> count(List<ByteBuffer> messages) {
        return messages.stream()
                .collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static String find(Pattern pattern, String head) {
        Matcher matcher = pattern.matcher(head);
        return matcher.find() ? matcher.group(1) : "(none)";
    }

    private static String describe(List<String> missing, List<String> tooMany) {
        StringBuilder text = new StringBuilder();
        if (!missing.isEmpty()) {
            text.append("missing: ").append(String.join("; ", missing));
        }
        if (!tooMany.isEmpty()) {
            text.append(text.isEmpty() ? "" : "\n").append("too many: ").append(String.join("; ", tooMany));
        }
        return text.toString();
    }
}
