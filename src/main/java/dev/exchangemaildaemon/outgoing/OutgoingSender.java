package dev.exchangemaildaemon.outgoing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.exchangemaildaemon.check.Diagnoses;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TransportFailures;

/**
 * Sends a message that local software handed over, whole as MIME, from the sender's own mailbox (keeping a copy
 * in its Sent Items), and says in SMTP terms why when it does not: the sender is not allowed (550), the message
 * is too large (552), Exchange refused it for good (5xx), or Exchange throttled, could not be reached or refused
 * the token (451, to be tried again). Returns only once Exchange has accepted the message.
 *
 * <p>A send that failed in a way Exchange may have carried it out all the same (typically a large message on a
 * slow link outlasting {@code mail.exchange.request-timeout}) is remembered ({@link UncertainSends}); before the
 * same message is sent again (the SMTP client's retry, the next pickup round) the sender's Sent Items is searched
 * for its Message-ID, and a copy found there counts as sent, so the recipients do not get it twice.
 */
@ApplicationScoped
public class OutgoingSender {

    private static final Logger LOG = Logger.getLogger(OutgoingSender.class);

    /** Exchange's codes that refuse the sender, not the message. */
    private static final Set<String> SENDER_REFUSED = Set.of("ErrorSendAsDenied", "ErrorAccessDenied",
            "ErrorImpersonateUserDenied", "ErrorNonExistentMailbox", "ErrorInvalidUser", "ResourceNotFound",
            "MailboxNotEnabledForRESTAPI");
    private static final Set<String> RECIPIENT_REFUSED = Set.of("ErrorInvalidRecipients",
            "ErrorMailRecipientNotFound");
    /** Too large: Exchange's code over EWS and from the Graph client's own check, Graph's 413 (with a body or not). */
    private static final Set<String> TOO_LARGE = Set.of("ErrorMessageSizeExceeded", "RequestEntityTooLarge",
            "HTTP 413");

    /**
     * How long after an uncertain attempt a copy may still be on its way to Sent Items. Exchange files the copy once
     * transport has taken the message, as a rule within seconds, later under load: a retry within this time that
     * does not find it is told to come back (451) rather than sent, lest a copy still on its way be taken for a
     * send that never happened. A minute is shorter than an SMTP client's retry interval (Postfix: 5 minutes at
     * first), so in practice only a pickup round or two wait.
     */
    static final Duration SENT_ITEMS_LAG = Duration.ofMinutes(1);

    /**
     * How far Exchange's clock may differ from this host's. A copy in Sent Items from before the uncertain attempt
     * (less this) is an earlier message under the same Message-ID, such as an invoice sent before and now
     * corrected: it does not show that this one went out.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Pattern ANGLE_ADDR = Pattern.compile("<[^<>\\s]+>");

    private final Senders senders;
    private final MailConfig config;
    private final OutgoingStatus status;
    private final Clock clock;
    private final UncertainSends uncertain = new UncertainSends();

    OutgoingSender(Senders senders, MailConfig config, OutgoingStatus status, Clock clock) {
        this.senders = senders;
        this.config = config;
        this.status = status;
        this.clock = clock;
    }

    /** The configured sender for that envelope sender; refused if it is not one. */
    String allowedSender(String envelopeSender) throws SendRefusal {
        return senders.find(envelopeSender).orElseThrow(() -> SendRefusal.senderNotAllowed(envelopeSender));
    }

    /** The largest message accepted, before the transport's own limit is known. */
    long maxSize() {
        return config.outgoing().maxMessageSize();
    }

    /** Where messages being received are kept until sent. */
    Path spoolDir() {
        return config.incoming().stateDir().resolve("outgoing-spool");
    }

    /**
     * Sends the MIME file from the envelope sender's mailbox, counted under the channel.
     *
     * @param message how to recognise the message if it comes again; empty for one without a Message-ID, which is
     *        sent each time
     * @throws SendRefusal why it was not sent; transient when it may be sent by trying again
     */
    void send(OutgoingChannel channel, String envelopeSender, Path mime, long size, Optional<MessageKey> message)
            throws SendRefusal {
        try {
            String sender = allowedSender(envelopeSender);
            Mailbox mailbox = senders.connect(sender);
            long limit = Math.min(maxSize(), mailbox.maxMimeSize());
            if (size > limit) {
                throw SendRefusal.tooLarge(size, limit);
            }
            if (message.isPresent() && foundInSentItems(channel, sender, mailbox, message.get())) {
                status.sent(channel);
                return;
            }
            Instant started = clock.instant();
            try {
                mailbox.sendMime(mime, size);
            } catch (MailboxException e) {
                if (e.outcomeUnknown() && message.isPresent()) {
                    uncertain.remember(message.get(), started);
                    throw new SendRefusal(451, "4.3.0", "no answer from Exchange, which may have sent the message all"
                            + " the same (" + e.getMessage() + "); a retry looks for it in Sent Items before sending");
                }
                throw e;
            }
            message.ifPresent(uncertain::settled);
            status.sent(channel);
            LOG.infof("%s: sent %d bytes from %s through Exchange", channel.label(), size, sender);
        } catch (SendRefusal refusal) {
            refused(channel, envelopeSender, refusal);
            throw refusal;
        } catch (MailboxException e) {
            SendRefusal refusal = refusal(e);
            refused(channel, envelopeSender, refusal);
            throw refusal;
        }
    }

    /**
     * Whether an earlier attempt whose outcome was not known did send the message: a copy with its Message-ID in
     * the sender's Sent Items, filed since that attempt. Not found while the copy may still be on its way
     * ({@link #SENT_ITEMS_LAG}): 451, to look again later.
     */
    private boolean foundInSentItems(OutgoingChannel channel, String sender, Mailbox mailbox, MessageKey message)
            throws MailboxException, SendRefusal {
        Optional<Instant> since = uncertain.since(message);
        if (since.isEmpty()) {
            return false;
        }
        // the time Exchange filed the copy (received), not the Date header the software wrote, which a retry keeps
        Instant earliest = since.get().minus(CLOCK_SKEW);
        boolean found = mailbox.findSent(internetMessageId(message.messageId())).stream()
                .anyMatch(copy -> !copy.received().isBefore(earliest));
        if (found) {
            uncertain.settled(message);
            LOG.infof("%s: the message %s from %s, whose earlier send got no answer, was found in Sent Items:"
                    + " Exchange had sent it; not sent again", channel.label(), message.messageId(), sender);
            return true;
        }
        if (clock.instant().isBefore(since.get().plus(SENT_ITEMS_LAG))) {
            throw new SendRefusal(451, "4.3.0", "an earlier attempt to send this message got no answer from Exchange"
                    + " and its copy is not in Sent Items yet; try again in a minute");
        }
        return false;
    }

    /** The Message-ID as Exchange keeps it: the angle-bracketed id, without folding or comments around it. */
    static String internetMessageId(String header) {
        Matcher id = ANGLE_ADDR.matcher(header);
        return id.find() ? id.group() : header.trim();
    }

    private void refused(OutgoingChannel channel, String sender, SendRefusal refusal) {
        status.refused(channel, refusal);
        LOG.warnf("%s: not sent from %s: %d %s", channel.label(), sender, refusal.smtpCode(), refusal.reply());
    }

    /** Exchange's failure as an SMTP reply; a transient one (or one of setup, which someone will fix) is 451. */
    static SendRefusal refusal(MailboxException e) {
        String reason = e.getMessage();
        if (e.kind() != MailboxException.Kind.PERMANENT || TransportFailures.TLS.equals(e.code())) {
            String hint = e.kind() == MailboxException.Kind.TRANSIENT ? "" : "; " + Diagnoses.of(e).hint();
            return new SendRefusal(451, "4.3.0", "Exchange did not take the message, try again later: " + reason
                    + hint);
        }
        if (TOO_LARGE.contains(e.code())) {
            return new SendRefusal(552, "5.3.4", "Exchange refused the message's size: " + reason);
        }
        if (SENDER_REFUSED.contains(e.code())) {
            return new SendRefusal(550, "5.7.1", "Exchange refused the sender: " + reason + "; "
                    + Diagnoses.of(e).hint());
        }
        if (RECIPIENT_REFUSED.contains(e.code())) {
            return new SendRefusal(550, "5.1.1", "Exchange refused a recipient: " + reason);
        }
        return new SendRefusal(554, "5.0.0", "Exchange refused the message: " + reason);
    }
}
