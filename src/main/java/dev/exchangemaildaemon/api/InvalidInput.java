package dev.exchangemaildaemon.api;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The 400 answer to unusable input, naming the field. */
final class InvalidInput {

    private InvalidInput() {
    }

    static Response response(String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("result", "ERROR", "code", "INVALID_INPUT", "field", field, "message", message))
                .build();
    }
}
