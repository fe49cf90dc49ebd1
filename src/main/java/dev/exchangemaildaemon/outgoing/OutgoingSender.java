package dev.exchangemaildaemon.outgoing;

import java.nio.file.Path;
import java.util.Set;

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

    private final Senders senders;
    private final MailConfig config;
    private final OutgoingStatus status;

    OutgoingSender(Senders senders, MailConfig config, OutgoingStatus status) {
        this.senders = senders;
        this.config = config;
        this.status = status;
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
     * @throws SendRefusal why it was not sent; transient when it may be sent by trying again
     */
    void send(OutgoingChannel channel, String envelopeSender, Path mime, long size) throws SendRefusal {
        try {
            String sender = allowedSender(envelopeSender);
            Mailbox mailbox = senders.connect(sender);
            long limit = Math.min(maxSize(), mailbox.maxMimeSize());
            if (size > limit) {
                throw SendRefusal.tooLarge(size, limit);
            }
            mailbox.sendMime(mime, size);
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
