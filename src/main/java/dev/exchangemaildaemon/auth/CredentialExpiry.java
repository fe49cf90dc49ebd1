package dev.exchangemaildaemon.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AuthFlow;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * When the app's credential runs out: the certificate's end of validity (client-certificate flow) and the client
 * secret's end date where {@code mail.entra.client-secret-expires} gives it. Entra ID refuses an expired one
 * (AADSTS7000222 for a secret) and every mailbox stops, so the daemon says so ahead: the gauge
 * {@code exchange_mail_credential_expiry_seconds{kind}}, the health check {@code credentials}, and one WARN line a
 * day from {@link #WARN_BEFORE} before.
 */
@ApplicationScoped
public class CredentialExpiry {

    static final Duration WARN_BEFORE = Duration.ofDays(30);
    private static final Logger LOG = Logger.getLogger(CredentialExpiry.class);

    /** A credential and the instant it stops working. */
    public record Expiry(String kind, Instant notAfter) {
    }

    private final MailConfig config;
    private final Clock clock;
    private List<Expiry> expiries;
    /** The certificate files the expiries were read from ({@link AppCertificate#filesStamp}); null without one. */
    private String certificateFiles;
    private final Map<String, LocalDate> warnedOn = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final List<Gauge> gauges = new ArrayList<>();

    @Inject
    public CredentialExpiry(MailConfig config, Clock clock, MeterRegistry metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        for (Expiry expiry : expiries()) {
            String kind = expiry.kind();
            gauges.add(Gauge.builder("exchange_mail_credential_expiry_seconds", () -> expiries().stream()
                            .filter(current -> current.kind().equals(kind)).findFirst()
                            .map(current -> (double) secondsLeft(current)).orElse(Double.NaN))
                    .description("Seconds until the app's credential expires (negative: expired)")
                    .tag("kind", expiry.kind()).register(metrics));
        }
    }

    /** The global registry outlives this bean: a gauge left behind would answer for a configuration gone. */
    @PreDestroy
    void removeGauges() {
        gauges.forEach(metrics::remove);
    }

    private static List<Expiry> read(MailConfig config) {
        List<Expiry> found = new ArrayList<>();
        if (config.entra().authFlow() == AuthFlow.CLIENT_CERTIFICATE) {
            try {
                found.add(new Expiry("certificate", AppCertificate.load(config.entra()).notAfter()));
            } catch (TokenException unreadable) {
                // the token request reports it, with its diagnosis
                LOG.warnf("The certificate's expiry is not known: %s", unreadable.getMessage());
            }
        }
        if (config.entra().authFlow() == AuthFlow.CLIENT_SECRET) {
            config.entra().clientSecretExpires().ifPresent(date -> found.add(
                    new Expiry("client_secret", date.atStartOfDay(ZoneOffset.UTC).toInstant())));
        }
        return found;
    }

    /** The credentials' ends, read again once the certificate files changed (a renewal needs no restart). */
    public synchronized List<Expiry> expiries() {
        String stamp = config.entra().authFlow() == AuthFlow.CLIENT_CERTIFICATE
                ? AppCertificate.filesStamp(config.entra()) : null;
        if (expiries == null || stamp != null && !stamp.equals(certificateFiles)) {
            certificateFiles = stamp;
            expiries = List.copyOf(read(config));
        }
        return expiries;
    }

    public long secondsLeft(Expiry expiry) {
        return Duration.between(clock.instant(), expiry.notAfter()).toSeconds();
    }

    void atStartup(@Observes StartupEvent event) {
        warnIfSoon();
    }

    /** Once a day at most per credential, from 30 days before its end. */
    @Scheduled(every = "1h", delayed = "1h")
    void warnIfSoon() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (Expiry expiry : expiries()) {
            Duration left = Duration.between(clock.instant(), expiry.notAfter());
            if (left.compareTo(WARN_BEFORE) > 0 || today.equals(warnedOn.put(expiry.kind(), today))) {
                continue;
            }
            String what = expiry.kind().equals("certificate")
                    ? "The app's certificate (mail.entra.certificate) expires"
                    : "The client secret (mail.entra.client-secret-expires) expires";
            String renew = expiry.kind().equals("certificate")
                    ? "create a new certificate, upload it under Certificates & secrets, then configure it"
                    : "create a new client secret under Certificates & secrets and configure its Value";
            if (left.isNegative()) {
                LOG.warnf("%s: it expired at %s; Entra ID refuses it: %s", what.replace(" expires", ""),
                        expiry.notAfter(), renew);
            } else {
                LOG.warnf("%s at %s, in %d days: %s", what, expiry.notAfter(), left.toDays(), renew);
            }
        }
    }
}
