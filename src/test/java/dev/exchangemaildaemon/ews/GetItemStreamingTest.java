package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.MessageRef;

class GetItemStreamingTest {

    @Test
    void largeMimeContentArrivesByteIdenticalWhileTheResponseIsStillBeingSent() throws Exception {
        byte[] mime = new byte[12 * 1024 * 1024];
        new Random(42).nextBytes(mime);
        String base64 = Base64.getMimeEncoder().encodeToString(mime);
        String[] response = FakeEws.response("GetItem", FakeEws.success("GetItem",
                "<m:Items><t:Message><t:MimeContent CharacterSet=\"UTF-8\">" + "\u0000"
                        + "</t:MimeContent><t:ItemId Id=\"AAMkBig\" ChangeKey=\"CQAA\"/></t:Message></m:Items>"))
                .split("\u0000");
        CountDownLatch consumerStarted = new CountDownLatch(1);
        AtomicBoolean streamed = new AtomicBoolean();
        MessageRef big = EwsMailboxTest.ref("AAMkBig", mime.length);
        byte[][] delivered = new byte[1][];

        try (FakeEws ews = new FakeEws()) {
            ews.answer(exchange -> {
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write((response[0] + base64.substring(0, base64.length() / 2)).getBytes(StandardCharsets.UTF_8));
                out.flush();
                // the rest is sent only once the consumer has begun: a client that buffered would wait in vain
                try {
                    streamed.set(consumerStarted.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                out.write((base64.substring(base64.length() / 2) + response[1]).getBytes(StandardCharsets.UTF_8));
                out.close();
            });

            List<ItemFailure> failures = ews.mailbox("user@example.com", new FakeTokens(true))
                    .fetchMime(List.of(big), (message, in) -> {
                        byte[] head = in.readNBytes(4096);
                        consumerStarted.countDown();
                        byte[] rest = in.readAllBytes();
                        delivered[0] = new byte[head.length + rest.length];
                        System.arraycopy(head, 0, delivered[0], 0, head.length);
                        System.arraycopy(rest, 0, delivered[0], head.length, rest.length);
                    });

            assertEquals(List.of(), failures);
        }
        assertTrue(streamed.get(), "the consumer read before the response was complete");
        assertArrayEquals(mime, delivered[0]);
    }

    @Test
    void batchesStayUnderTheSizeCapAndTheItemLimit() {
        long mb = 1024 * 1024;
        List<MessageRef> messages = List.of(ref("a", 5 * mb), ref("b", 5 * mb), ref("c", 1 * mb), ref("d", 150 * mb),
                ref("e", 1));

        List<List<String>> batches = Batches.ofCountAndSize(messages, GetItem.MAX_BATCH_BYTES).stream()
                .map(Batches::ids).toList();

        assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d"), List.of("e")), batches);
        List<MessageRef> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(ref("m" + i, 0));
        }
        assertEquals(List.of(100, 100, 50), Batches.ofCount(many).stream().map(List::size).toList());
    }

    private static MessageRef ref(String id, long size) {
        return EwsMailboxTest.ref(id, size);
    }
}
