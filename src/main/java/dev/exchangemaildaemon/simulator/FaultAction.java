package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;

/** What an injected fault does to a request it hits: answer in its stead, or spoil or delay the real answer. */
@FunctionalInterface
public interface FaultAction {

    /**
     * Answers the exchange.
     *
     * @param normal the answer the simulator gives without the fault, computed (and the operation run) on demand
     */
    void answer(HttpExchange exchange, Supplier<EwsAnswer> normal) throws IOException;

    /** Answers with that instead of running the operation. */
    static FaultAction replaceWith(EwsAnswer answer) {
        return (exchange, normal) -> answer.send(exchange);
    }

    /** HTTP status with an empty body and those headers, such as 503 with {@code Retry-After}. */
    static FaultAction status(int status, Map<String, String> headers) {
        return replaceWith(EwsAnswer.empty(status, headers));
    }

    /**
     * Waits until the test lets the request go (at most {@code longest}), then answers normally: a request held for
     * exactly as long as a test needs, where a fixed delay would race a loaded machine.
     */
    static FaultAction heldUntil(CountDownLatch release, Duration longest) {
        return (exchange, normal) -> {
            try {
                release.await(longest.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while holding the request", e);
            }
            normal.get().send(exchange);
        };
    }

    /** Waits, then answers normally: a slow server, for timeouts. */
    static FaultAction delay(Duration delay) {
        return (exchange, normal) -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while delaying the answer", e);
            }
            normal.get().send(exchange);
        };
    }

    /**
     * Sends the normal answer's headers, with its full Content-Length, and the first {@code bytes} of its body,
     * then closes the connection: the client sees the connection fail mid-body.
     */
    static FaultAction dropConnectionAfter(int bytes) {
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            answer.sendPrefix(exchange, answer.body().length, bytes);
            exchange.close();
        };
    }

    /**
     * Sends only the first {@code bytes} of the normal answer's body, with a Content-Length to match: a complete
     * HTTP response holding an incomplete XML document.
     */
    static FaultAction truncateAfter(int bytes) {
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            int length = Math.min(bytes, answer.body().length);
            answer.sendPrefix(exchange, length, length);
        };
    }

    /**
     * Sends the normal answer in {@code pieces} pieces with {@code pause} before each after the first: a slow link
     * on which the answer keeps coming, however long it takes in all.
     */
    static FaultAction trickle(int pieces, Duration pause) {
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            byte[] body = answer.body();
            answer.sendPrefix(exchange, body.length, 0);
            OutputStream out = exchange.getResponseBody();
            int piece = Math.max(1, (body.length + pieces - 1) / pieces);
            for (int offset = 0; offset < body.length; offset += piece) {
                if (offset > 0) {
                    pause(pause);
                }
                if (offset + piece >= body.length) {
                    AnswerEnd.now(exchange); // the last piece completes the answer
                }
                out.write(body, offset, Math.min(piece, body.length - offset));
                out.flush();
            }
        };
    }

    /**
     * Sends the normal answer's headers, with its full Content-Length, and the first {@code bytes} of its body, then
     * nothing more, the connection left open until the simulator stops: a stalled server.
     */
    static FaultAction stallAfter(int bytes) {
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            answer.sendPrefix(exchange, answer.body().length, bytes);
            pause(Duration.ofDays(1));
        };
    }

    /**
     * Answers that status with the start of a JSON error body that never ends: after {@code start}, a space every
     * {@code pause} (or as fast as the client reads, for zero) until the client goes away or the simulator stops.
     */
    static FaultAction endlessBody(int status, String start, Duration pause) {
        return (exchange, normal) -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, 0); // chunked: no length, no end
            OutputStream out = exchange.getResponseBody();
            out.write(start.getBytes(StandardCharsets.UTF_8));
            out.flush();
            byte[] spaces = new byte[8192];
            Arrays.fill(spaces, (byte) ' ');
            while (true) {
                if (!pause.isZero()) {
                    pause(pause);
                }
                out.write(spaces, 0, pause.isZero() ? spaces.length : 1);
                out.flush();
            }
        };
    }

    /**
     * Drops the connection in the middle of that message whenever an answer carries its MIME (raw, as Graph's
     * {@code $value}, or in base64, as EWS's MimeContent); answers without it go out normally.
     */
    static FaultAction dropConnectionInside(byte[] mime) {
        byte[] base64 = Base64.getEncoder().encode(mime);
        return (exchange, normal) -> {
            EwsAnswer answer = normal.get();
            int at = indexOf(answer.body(), mime);
            int length = mime.length;
            if (at < 0) {
                at = indexOf(answer.body(), base64);
                length = base64.length;
            }
            if (at < 0) {
                answer.send(exchange);
                return;
            }
            answer.sendPrefix(exchange, answer.body().length, at + length / 2);
            exchange.close();
        };
    }

    private static int indexOf(byte[] text, byte[] pattern) {
        outer:
        for (int start = 0; start + pattern.length <= text.length; start++) {
            for (int i = 0; i < pattern.length; i++) {
                if (text[start + i] != pattern[i]) {
                    continue outer;
                }
            }
            return start;
        }
        return -1;
    }

    private static void pause(Duration pause) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("simulator stopping", e);
        }
    }
}
