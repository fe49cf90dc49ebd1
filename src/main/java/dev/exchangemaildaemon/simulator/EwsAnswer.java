package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/** A whole EWS response: status, headers and body, written at once or, by a fault, only in part. */
public record EwsAnswer(int status, Map<String, String> headers, byte[] body) {

    public static EwsAnswer xml(int status, String xml) {
        return new EwsAnswer(status, Map.of("Content-Type", "text/xml; charset=utf-8"),
                xml.getBytes(StandardCharsets.UTF_8));
    }

    public static EwsAnswer empty(int status, Map<String, String> headers) {
        return new EwsAnswer(status, headers, new byte[0]);
    }

    public void send(HttpExchange exchange) throws IOException {
        sendPrefix(exchange, body.length, body.length);
    }

    /** Announces {@code contentLength} bytes of body and writes the first {@code written} bytes of this body. */
    void sendPrefix(HttpExchange exchange, int contentLength, int written) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        int bytes = Math.min(written, body.length);
        boolean complete = bytes == contentLength;
        if (complete && contentLength == 0) {
            AnswerEnd.now(exchange); // the headers are the whole answer
        }
        exchange.sendResponseHeaders(status, contentLength == 0 ? -1 : contentLength);
        OutputStream out = exchange.getResponseBody();
        if (complete && bytes > 0) {
            out.write(body, 0, bytes - 1);
            out.flush();
            AnswerEnd.now(exchange);
            out.write(body, bytes - 1, 1);
        } else {
            out.write(body, 0, bytes);
        }
        out.flush();
    }
}
