package dev.exchangemaildaemon.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A request sent without waiting for its answer, whose answer is taken later or given up: how both clients keep
 * requests on their way while an earlier answer is still being read. The answer's body waits unread until then.
 */
public final class PendingResponse {

    private final CompletableFuture<HttpResponse<InputStream>> answer;

    public PendingResponse(HttpClient http, HttpRequest request) {
        this.answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Waits for the answer's status and headers. Interrupted, it gives the request up, as {@link HttpClient#send}
     * does; a failure to send or receive is the IOException the client met (an {@code HttpTimeoutException} when
     * its timeout passed).
     */
    public HttpResponse<InputStream> await() throws IOException, InterruptedException {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            abandon();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException failure) {
                throw failure;
            }
            throw e.getCause() instanceof RuntimeException unchecked ? unchecked
                    : new IllegalStateException(e.getCause());
        }
    }

    /** Gives the request up: aborts it if still unanswered, else closes its answer unread. */
    public void abandon() {
        answer.cancel(true);
        answer.thenAccept(response -> {
            try {
                response.body().close();
            } catch (IOException e) {
                // nothing was wanted from it
            }
        });
    }
}
