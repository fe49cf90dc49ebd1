package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One SMTP mail transaction: refuses a sender that is not configured at {@code MAIL FROM} (550, before any data
 * is sent), spools the data to disk and answers the final dot only once Exchange has accepted the message, or
 * with the reason it did not (4xx to be retried, 5xx for good). Exchange sends to the message's To, Cc and Bcc
 * headers; envelope recipients missing from them (blind copies) are added as a Bcc header.
 */
final class SubmissionHandler implements MessageHandler {

    private static final Logger LOG = Logger.getLogger(SubmissionHandler.class);

    private final OutgoingSender sender;
    private final OutgoingStatus status;
    private final SubmittedMessages submitted;
    private final List<String> recipients = new ArrayList<>();
    private String envelopeSender;

    SubmissionHandler(OutgoingSender sender, OutgoingStatus status, SubmittedMessages submitted) {
        this.sender = sender;
        this.status = status;
        this.submitted = submitted;
    }

    @Override
    public void from(String from) throws RejectException {
        try {
            envelopeSender = sender.allowedSender(from);
        } catch (SendRefusal refusal) {
            status.refused(OutgoingChannel.SMTP, refusal);
            throw new RejectException(refusal.smtpCode(), refusal.reply());
        }
    }

    @Override
    public void recipient(String recipient) {
        recipients.add(recipient);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        status.taken(OutgoingChannel.SMTP);
        SpooledMessage message = null;
        try {
            message = SpooledMessage.of(data, sender.spoolDir(), sender.maxSize());
            byte[] digest = message.digest();
            MimeHeaderBlock headers = MimeHeaderBlock.read(message.file());
            List<String> blind = recipients.stream()
                    .filter(recipient -> !headers.recipients().contains(recipient.toLowerCase(Locale.ROOT))).toList();
            if (!blind.isEmpty()) {
                message = message.withBcc(blind);
            }
            Optional<MessageKey> key = headers.messageId()
                    .map(id -> new MessageKey(SubmittedMessages.key(envelopeSender, id, blind, digest), id));
            if (key.isEmpty()) {
                sender.send(OutgoingChannel.SMTP, envelopeSender, message.file(), message.size(), key);
                return "2.0.0 sent through Exchange";
            }
            return sendOnce(key.get(), message);
        } catch (SendRefusal refusal) {
            throw new RejectException(refusal.smtpCode(), refusal.reply());
        } catch (IOException e) {
            throw new RejectException(451, "4.3.0 could not keep the message on disk: " + e.getMessage());
        } finally {
            status.released(OutgoingChannel.SMTP);
            if (message != null) {
                delete(message);
            }
        }
    }

    /** Sends the message unless Exchange accepted it before; records the acceptance before the reply. */
    private String sendOnce(MessageKey key, SpooledMessage message) throws SendRefusal, IOException, RejectException {
        if (submitted.accepted(key.key())) {
            LOG.infof("smtp: a message from %s that Exchange accepted before came again; not sent twice",
                    envelopeSender);
            return "2.0.0 sent through Exchange before; not sent again";
        }
        if (!submitted.take(key.key())) {
            throw new RejectException(451, "4.3.0 the same message is being sent on another connection; try again"
                    + " shortly");
        }
        try {
            sender.send(OutgoingChannel.SMTP, envelopeSender, message.file(), message.size(), Optional.of(key));
            recordAccepted(key.key());
            return "2.0.0 sent through Exchange";
        } finally {
            submitted.release(key.key());
        }
    }

    /**
     * Exchange has the message: the reply is 250 whatever becomes of the record, as a 451 would have the client send
     * it a second time. A record that cannot be written is held in memory (a retry in this process is recognised)
     * and shown in the log and the health check, as a restart before it is written would forget it.
     */
    private void recordAccepted(String key) {
        try {
            submitted.recordAccepted(key);
        } catch (IOException e) {
            String reason = "sent, but the record " + submitted.file() + " could not be written (" + e
                    + "); a retry is recognised only until the daemon restarts";
            LOG.errorf("smtp: a message from %s was %s", envelopeSender, reason);
            status.notRecorded(OutgoingChannel.SMTP, reason);
        }
    }

    /** The spooled file goes; failing that after a send must not turn the 250 into an error the client retries. */
    private static void delete(SpooledMessage message) {
        try {
            message.close();
        } catch (IOException e) {
            LOG.warnf("smtp: could not delete the spooled message %s: %s", message.file(), e);
        }
    }

    @Override
    public void done() {
    }
}
