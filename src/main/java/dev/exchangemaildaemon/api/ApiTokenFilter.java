package dev.exchangemaildaemon.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.exchangemaildaemon.config.MailConfig;

/**
 * Guards /api/*: a request needs {@code Authorization: Bearer <mail.api.token>}. Without a configured token
 * the API stays closed.
 */
public class ApiTokenFilter {

    private final Optional<byte[]> expected;

    ApiTokenFilter(MailConfig config) {
        this.expected = config.api().token().filter(token -> !token.isBlank()).map(ApiTokenFilter::digest);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authorize(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api")) {
            return Optional.empty();
        }
        if (expected.isEmpty()) {
            return Optional.of(refuse(Response.Status.FORBIDDEN, "API_DISABLED",
                    "the API is off: set mail.api.token (e.g. from ${MAIL_API_TOKEN}) to enable /api"));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : "";
        // Comparing digests keeps the time independent of where, and whether the lengths, differ.
        if (!MessageDigest.isEqual(expected.get(), digest(presented))) {
            return Optional.of(refuse(Response.Status.UNAUTHORIZED, "UNAUTHORIZED",
                    "send Authorization: Bearer <mail.api.token>"));
        }
        return Optional.empty();
    }

    private static Response refuse(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, status == Response.Status.UNAUTHORIZED ? "Bearer" : null)
                .entity(Map.of("result", "ERROR", "code", code, "message", message)).build();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
