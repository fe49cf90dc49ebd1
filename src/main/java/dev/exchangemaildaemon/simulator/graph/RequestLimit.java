package dev.exchangemaildaemon.simulator.graph;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * Graph's limit on the size of one request: 4 MB for the whole request, its request line and headers (the bearer
 * token among them) counted with the body, not the body alone. Graph refuses a larger one with 413 before it looks
 * at the token.
 */
final class RequestLimit {

    static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private RequestLimit() {
    }

    static boolean exceeded(HttpExchange exchange, byte[] body) {
        return size(exchange, body) > MAX_REQUEST_BYTES;
    }

    /** The request as HTTP/1.1 writes it: request line, header lines, the blank line, the body. */
    static long size(HttpExchange exchange, byte[] body) {
        long size = utf8(exchange.getRequestMethod() + " " + exchange.getRequestURI().toString() + " HTTP/1.1\r\n");
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            for (String value : header.getValue()) {
                size += utf8(header.getKey() + ": " + value + "\r\n");
            }
        }
        return size + 2 + body.length;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
