package dev.exchangemaildaemon.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.mailbox.MailboxException.Kind;

class StatusFailuresTest {

    /** 2015-10-21T07:28:00Z, the instant of RFC 9110's own Retry-After example date. */
    private static final Clock AT_EXAMPLE_DATE = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    @Test
    void retryAfterInSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(120)),
                StatusFailures.retryAfter(Optional.of(" 120 "), AT_EXAMPLE_DATE));
    }

    @Test
    void retryAfterAsHttpDateCountsFromTheClock() {
        Clock earlier = Clock.offset(AT_EXAMPLE_DATE, Duration.ofSeconds(-90));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                StatusFailures.retryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"), earlier));
    }

    @Test
    void retryAfterInThePastMeansNoWait() {
        Clock later = Clock.offset(AT_EXAMPLE_DATE, Duration.ofHours(1));
        assertEquals(Optional.of(Duration.ZERO),
                StatusFailures.retryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"), later));
    }

    @Test
    void retryAfterThatIsNeitherIsIgnored() {
        assertEquals(Optional.empty(), StatusFailures.retryAfter(Optional.of("soon"), AT_EXAMPLE_DATE));
        assertEquals(Optional.empty(), StatusFailures.retryAfter(Optional.of("-5"), AT_EXAMPLE_DATE));
        assertEquals(Optional.empty(), StatusFailures.retryAfter(Optional.empty(), AT_EXAMPLE_DATE));
    }

    /** Microsoft Graph's throttling guide shows {@code Retry-After: 2.128}: a fraction is read, up to the next ms. */
    @Test
    void retryAfterInDecimalSecondsRoundsUpToTheMillisecond() {
        assertEquals(Optional.of(Duration.ofMillis(2128)),
                StatusFailures.retryAfter(Optional.of("2.128"), AT_EXAMPLE_DATE));
        assertEquals(Optional.of(Duration.ofMillis(2)),
                StatusFailures.retryAfter(Optional.of("0.0011"), AT_EXAMPLE_DATE));
        assertEquals(Optional.empty(), StatusFailures.retryAfter(Optional.of("2."), AT_EXAMPLE_DATE));
    }

    @Test
    void aThrottledAnswerAlwaysCarriesABackOff() {
        assertEquals(Optional.of(Duration.ofMillis(2128)),
                StatusFailures.backOff(429, Optional.of("2.128"), AT_EXAMPLE_DATE));
        assertEquals(Optional.of(StatusFailures.THROTTLED_WITHOUT_RETRY_AFTER),
                StatusFailures.backOff(429, Optional.empty(), AT_EXAMPLE_DATE), "no Retry-After is still throttling");
        assertEquals(Optional.of(StatusFailures.THROTTLED_WITHOUT_RETRY_AFTER),
                StatusFailures.backOff(429, Optional.of("soon"), AT_EXAMPLE_DATE));
        assertEquals(Optional.of(Duration.ofSeconds(3)),
                StatusFailures.backOff(503, Optional.of("3"), AT_EXAMPLE_DATE));
        assertEquals(Optional.empty(), StatusFailures.backOff(503, Optional.empty(), AT_EXAMPLE_DATE),
                "an unavailable server without Retry-After is retried as any transient failure");
        assertEquals(Optional.empty(), StatusFailures.backOff(500, Optional.of("3"), AT_EXAMPLE_DATE));
    }

    @Test
    void kindByStatus() {
        assertEquals(Kind.AUTH, StatusFailures.kind(401));
        assertEquals(Kind.AUTH, StatusFailures.kind(403));
        assertEquals(Kind.TRANSIENT, StatusFailures.kind(429));
        assertEquals(Kind.TRANSIENT, StatusFailures.kind(502));
        assertEquals(Kind.PERMANENT, StatusFailures.kind(404));
    }
}
