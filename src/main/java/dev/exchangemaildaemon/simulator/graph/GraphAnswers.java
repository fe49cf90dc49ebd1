package dev.exchangemaildaemon.simulator.graph;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.simulator.EwsAnswer;

/** Graph's answers: JSON bodies, errors in Graph's shape, raw MIME. */
public final class GraphAnswers {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json; charset=utf-8");

    private GraphAnswers() {
    }

    static EwsAnswer json(int status, Object body) {
        try {
            return new EwsAnswer(status, JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e, e);
        }
    }

    public static EwsAnswer error(GraphError error, Clock clock) {
        String requestId = UUID.randomUUID().toString();
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("date", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                clock.instant().truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC)));
        inner.put("request-id", requestId);
        inner.put("client-request-id", requestId);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", error.code());
        detail.put("message", error.message());
        detail.put("innerError", inner);
        return json(error.status(), Map.of("error", detail));
    }

    static EwsAnswer mime(byte[] mime) {
        return new EwsAnswer(200, Map.of("Content-Type", "text/plain"), mime);
    }

    static EwsAnswer accepted() {
        return EwsAnswer.empty(202, Map.of());
    }
}
