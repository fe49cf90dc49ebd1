package dev.exchangemaildaemon.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.jboss.logging.Logger;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Sends a short test message from the configured sender, keeping a copy in its Sent Items. With an app token
 * Exchange lets the daemon send as any mailbox of the tenant, so this must not become a relay: only
 * {@code mail.send.sender} and {@code mail.send.allowed-senders} may be the sender, sends are rate-limited, and
 * each attempt leaves an audit line (who asked, from, to, subject, outcome) on the logger {@value #AUDIT}.
 */
@ApplicationScoped
public class TestSend {

    static final String DEFAULT_SUBJECT = "exchange-mail-daemon test message";
    /** The audit log's category, so that it can be routed or kept apart. */
    public static final String AUDIT = "dev.exchangemaildaemon.audit";
    private static final Logger AUDIT_LOG = Logger.getLogger(AUDIT);

    /** A request that cannot be sent as it is; names the field. */
    public static class InvalidRequest extends RuntimeException {
        private final String field;

        InvalidRequest(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** @param retryAfter when a refused send may be tried again (rate limit), else null */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String result, String from, String to, String subject, String code, String message,
            String hint, String step, @JsonIgnore int httpStatus, @JsonIgnore Duration retryAfter) {

        static Result sent(String from, String to, String subject) {
            return new Result("OK", from, to, subject, null, null, null, null, 200, null);
        }

        static Result failed(Diagnosis diagnosis) {
            return failed(diagnosis, null);
        }

        static Result failed(Diagnosis diagnosis, Duration retryAfter) {
            return new Result("ERROR", null, null, null, diagnosis.code(), diagnosis.message(), diagnosis.hint(),
                    diagnosis.step(), diagnosis.httpStatus(), retryAfter);
        }

        public boolean ok() {
            return "OK".equals(result);
        }
    }

    private final MailConfig config;
    private final EntraTokens tokens;
    private final MailboxConnector connector;
    private final Clock clock;
    private final Set<String> allowedSenders = new TreeSet<>();
    private final SendRateLimit rateLimit;

    TestSend(MailConfig config, EntraTokens tokens, MailboxConnector connector, Clock clock) {
        this.config = config;
        this.tokens = tokens;
        this.connector = connector;
        this.clock = clock;
        config.send().sender().ifPresent(sender -> allowedSenders.add(normalized(sender)));
        config.send().allowedSenders().orElse(List.of()).forEach(sender -> allowedSenders.add(normalized(sender)));
        this.rateLimit = new SendRateLimit(config.send().rateLimit(), config.send().rateWindow(), clock);
    }

    /**
     * @param requester who asks, for the audit line: the client's address, or the command line and its user
     * @throws InvalidRequest naming the field when the input is unusable
     */
    public Result send(String to, Optional<String> from, Optional<String> subject, String requester) {
        String recipient = address("to", Optional.ofNullable(to).filter(value -> !value.isBlank())
                .orElseThrow(() -> new InvalidRequest("to", "to is required: the recipient's address")));
        String sender = address("from", from.filter(value -> !value.isBlank()).or(() -> config.send().sender())
                .orElseThrow(() -> new InvalidRequest("from", "no sender: give from, or set mail.send.sender")));
        String title = subject.filter(value -> !value.isBlank()).orElse(DEFAULT_SUBJECT);
        if (title.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0) || title.length() > 255) {
            throw new InvalidRequest("subject", "subject must be one line of at most 255 characters");
        }
        if (!allowedSenders.contains(normalized(sender))) {
            audit(requester, sender, recipient, title, "refused: sender not allowed");
            return Result.failed(new Diagnosis("SENDER_NOT_ALLOWED", Diagnoses.STEP_SENDER, sender
                    + " may not send test messages: only mail.send.sender and mail.send.allowed-senders may",
                    allowedSenders.isEmpty() ? "Set mail.send.sender to the mailbox that sends test messages."
                            : "Send from " + String.join(" or ", allowedSenders)
                                    + ", or add the address to mail.send.allowed-senders.", 403));
        }
        Optional<Duration> wait = rateLimit.tryAcquire();
        if (wait.isPresent()) {
            long seconds = retrySeconds(wait.get());
            audit(requester, sender, recipient, title, "refused: rate limit, retry in " + seconds + " s");
            return Result.failed(new Diagnosis("RATE_LIMITED", "Test send: rate limit", "more than "
                    + config.send().rateLimit() + " test sends within " + config.send().rateWindow(),
                    "Try again in " + seconds + " s, or raise mail.send.rate-limit.", 429), Duration.ofSeconds(seconds));
        }
        String body = "This is a test message from exchange-mail-daemon on " + hostName() + ", sent at "
                + clock.instant() + ".\r\nIf it arrived, sending through Exchange works.\r\n";
        try {
            // The send credentials are the configured sender's, whichever address the message is from.
            String username = config.send().username().or(() -> config.send().sender()).orElse(sender);
            connector.connect(sender, tokens.forUser(username, config.send().password().orElse("")))
                    .send(new OutgoingMessage(sender, List.of(recipient), title, body));
            audit(requester, sender, recipient, title, "sent");
            return Result.sent(sender, recipient, title);
        } catch (MailboxException e) {
            Result failed = Result.failed(Diagnoses.of(e));
            audit(requester, sender, recipient, title, "failed: " + failed.code());
            return failed;
        }
    }

    /** One line per attempt that got past the input checks. The addresses are validated and the subject is one line. */
    private static void audit(String requester, String from, String to, String subject, String outcome) {
        AUDIT_LOG.info("test send requested by " + oneLine(requester, 200) + ": from " + from + " to " + to
                + ", subject \"" + oneLine(subject, 200) + "\": " + outcome);
    }

    /** No control character (a line break would forge another audit line), and a bounded length. */
    private static String oneLine(String text, int most) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= most ? line : line.substring(0, most) + "...";
    }

    /** Whole seconds, rounded up, at least 1: the unit of Retry-After. */
    private static long retrySeconds(Duration wait) {
        return Math.max(1, wait.plusNanos(999_999_999).getSeconds());
    }

    private static String normalized(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    private static String address(String field, String value) {
        String trimmed = value.trim();
        if (!trimmed.matches("[^@\\s<>\"(),;:\\[\\]]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+")) {
            throw new InvalidRequest(field, field + " is not an email address");
        }
        return trimmed;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "an unnamed host";
        }
    }
}
