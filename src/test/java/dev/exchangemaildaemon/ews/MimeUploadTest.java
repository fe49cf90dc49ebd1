package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CreateItem request that streams a MIME file into its envelope carries exactly the envelope that holds the
 * same message as base64 in memory would, and says its length up front: for empty files, files that leave one or
 * two bytes over a base64 group, and files longer than one encoding chunk.
 */
class MimeUploadTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 49_151, 49_152, 49_153, 200_001 })
    void streamedEnvelopeEqualsTheEnvelopeWithTheMimeInline(int size) throws Exception {
        byte[] mime = new byte[size];
        new Random(size).nextBytes(mime);
        Path file = Files.write(dir.resolve("message.eml"), mime);
        MimeUpload upload = CreateItem.request(file, size);
        byte[] withPlaceholder = SoapRequests.envelope(upload.operation(), "sender@example.com");

        HttpRequest.BodyPublisher body = upload.body(withPlaceholder);

        byte[] expected = new String(withPlaceholder, StandardCharsets.UTF_8)
                .replace(upload.placeholder(), Base64.getEncoder().encodeToString(mime))
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, body.contentLength(), "Content-Length");
        assertArrayEquals(expected, read(body));
    }

    private static byte[] read(HttpRequest.BodyPublisher body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.writeBytes(bytes);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(30, TimeUnit.SECONDS);
        return out.toByteArray();
    }
}
