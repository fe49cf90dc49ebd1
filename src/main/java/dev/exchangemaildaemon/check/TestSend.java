package dev.exchangemaildaemon.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Sends a short test message from the configured sender, keeping a copy in its Sent Items. */
@ApplicationScoped
public class TestSend {

    static final String DEFAULT_SUBJECT = "exchange-mail-daemon test message";

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

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String result, String from, String to, String subject, String code, String message,
            String hint, String step, @JsonIgnore int httpStatus) {

        static Result sent(String from, String to, String subject) {
            return new Result("OK", from, to, subject, null, null, null, null, 200);
        }

        static Result failed(Diagnosis diagnosis) {
            return new Result("ERROR", null, null, null, diagnosis.code(), diagnosis.message(), diagnosis.hint(),
                    diagnosis.step(), diagnosis.httpStatus());
        }

        public boolean ok() {
            return "OK".equals(result);
        }
    }

    private final MailConfig config;
    private final EntraTokens tokens;
    private final MailboxConnector connector;
    private final Clock clock;

    TestSend(MailConfig config, EntraTokens tokens, MailboxConnector connector, Clock clock) {
        this.config = config;
        this.tokens = tokens;
        this.connector = connector;
        this.clock = clock;
    }

    /** @throws InvalidRequest naming the field when the input is unusable */
    public Result send(String to, Optional<String> from, Optional<String> subject) {
        String recipient = address("to", Optional.ofNullable(to).filter(value -> !value.isBlank())
                .orElseThrow(() -> new InvalidRequest("to", "to is required: the recipient's address")));
        String sender = address("from", from.filter(value -> !value.isBlank()).or(() -> config.send().sender())
                .orElseThrow(() -> new InvalidRequest("from", "no sender: give from, or set mail.send.sender")));
        String title = subject.filter(value -> !value.isBlank()).orElse(DEFAULT_SUBJECT);
        if (title.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0) || title.length() > 255) {
            throw new InvalidRequest("subject", "subject must be one line of at most 255 characters");
        }
        String body = "This is a test message from exchange-mail-daemon on " + hostName() + ", sent at "
                + clock.instant() + ".\r\nIf it arrived, sending through Exchange works.\r\n";
        try {
            // The send credentials are the configured sender's, whichever address the message is from.
            String username = config.send().username().or(() -> config.send().sender()).orElse(sender);
            connector.connect(sender, tokens.forUser(username, config.send().password().orElse("")))
                    .send(new OutgoingMessage(sender, List.of(recipient), title, body));
            return Result.sent(sender, recipient, title);
        } catch (MailboxException e) {
            return Result.failed(Diagnoses.of(e));
        }
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
