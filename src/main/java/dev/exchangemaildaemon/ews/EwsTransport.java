package dev.exchangemaildaemon.ews;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import dev.exchangemaildaemon.net.OutboundProxy;
import dev.exchangemaildaemon.net.RequestMetrics;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.Sleeper;

/**
 * What every mailbox opened by one connector shares: the connections, the proxy they go through, the limits, the
 * retries and the meters.
 */
record EwsTransport(HttpClient http, OutboundProxy proxy, ScheduledExecutorService deadlines, URI endpoint,
        Duration timeout, RequestPermits permits, RetryPolicy retries, Sleeper sleeper, RequestMetrics metrics) {
}
