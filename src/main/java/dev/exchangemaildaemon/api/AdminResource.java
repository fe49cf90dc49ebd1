package dev.exchangemaildaemon.api;

import java.util.Optional;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

import dev.exchangemaildaemon.check.CheckReport;
import dev.exchangemaildaemon.check.SetupCheck;
import dev.exchangemaildaemon.check.TestSend;

/** The admin actions: test the settings, send a test message. */
@Path("/api")
@Blocking
public class AdminResource {

    /** Body of POST /api/test-send. */
    public record TestSendRequest(String to, String from, String subject) {
    }

    private final SetupCheck check;
    private final TestSend testSend;

    AdminResource(SetupCheck check, TestSend testSend) {
        this.check = check;
        this.testSend = testSend;
    }

    @POST
    @Path("/check")
    @jakarta.ws.rs.Produces(MediaType.APPLICATION_JSON)
    public Response check(@QueryParam("mailbox") String mailbox) {
        try {
            CheckReport report = check.run(Optional.ofNullable(mailbox).filter(value -> !value.isBlank()));
            return Response.status(report.ok() ? 200 : 502).entity(report).build();
        } catch (IllegalArgumentException e) {
            return InvalidInput.response("mailbox", e.getMessage());
        }
    }

    @POST
    @Path("/test-send")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @jakarta.ws.rs.Produces(MediaType.APPLICATION_JSON)
    public Response testSend(TestSendRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            return InvalidInput.response("to", "send a JSON body such as {\"to\": \"someone@example.com\"}");
        }
        try {
            TestSend.Result result = testSend.send(request.to(), Optional.ofNullable(request.from()),
                    Optional.ofNullable(request.subject()), "API client " + http.remoteAddress().hostAddress());
            Response.ResponseBuilder response = Response.status(result.httpStatus()).entity(result);
            if (result.retryAfter() != null) {
                response.header(HttpHeaders.RETRY_AFTER, result.retryAfter().toSeconds());
            }
            return response.build();
        } catch (TestSend.InvalidRequest e) {
            return InvalidInput.response(e.field(), e.getMessage());
        }
    }
}
