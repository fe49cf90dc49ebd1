package dev.exchangemaildaemon.simulator.graph;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One Graph request, on its own or inside a {@code $batch}.
 *
 * @param path         the path under {@code /v1.0}, still percent-encoded
 * @param query        the OData options, decoded, in the order given
 * @param immutableIds whether {@code Prefer: IdType="ImmutableId"} came with it
 */
record GraphRequest(String method, String path, Map<String, String> query, byte[] body, boolean immutableIds) {

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> options = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return options;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            options.putIfAbsent(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return options;
    }

    static boolean prefersImmutableIds(String prefer) {
        return prefer != null && prefer.replace(" ", "").toLowerCase(Locale.ROOT).contains("idtype=\"immutableid\"");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
