package dev.exchangemaildaemon.ews;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** The meters under the names that dashboards and alerts use. */
class EwsMetricsTest {

    private static final String FOLDER_FOUND = FakeEws.response("GetFolder", FakeEws.success("GetFolder",
            "<m:Folders><t:Folder><t:FolderId Id=\"AAMkInbox\" ChangeKey=\"AQAA\"/></t:Folder></m:Folders>"));

    @Test
    void prometheusSeesRequestsRetriesAndBackOff() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FakeEws ews = new FakeEws(prometheus)) {
            ews.answer(exchange -> {
                exchange.getResponseHeaders().set("Retry-After", "2");
                exchange.sendResponseHeaders(503, -1);
            }).answer(200, FOLDER_FOUND);

            ews.mailbox("user@example.com", new FakeTokens(true)).checkFolder("inbox");
        }

        String scrape = prometheus.scrape().replace(",}", "}"); // the trailing comma depends on the format version
        for (String line : List.of(
                "exchange_mail_requests_total{api=\"ews\",operation=\"GetFolder\",outcome=\"HTTP 503\"} 1.0",
                "exchange_mail_requests_total{api=\"ews\",operation=\"GetFolder\",outcome=\"success\"} 1.0",
                "exchange_mail_request_duration_seconds_count{api=\"ews\",operation=\"GetFolder\"} 2.0",
                "exchange_mail_request_duration_seconds_bucket{api=\"ews\",operation=\"GetFolder\",le=\"+Inf\"} 2.0",
                "exchange_mail_request_retries_total{api=\"ews\",operation=\"GetFolder\",reason=\"HTTP 503\"} 1.0",
                "exchange_mail_request_backoff_seconds_total{api=\"ews\"} 2.0")) {
            assertTrue(scrape.contains("\n" + line), line + " in\n" + scrape);
        }
    }
}
