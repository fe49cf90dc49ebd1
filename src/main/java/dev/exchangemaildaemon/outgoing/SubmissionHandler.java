package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.io.InputStream;

import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One SMTP mail transaction: refuses a sender that is not configured at {@code MAIL FROM} (550, before any data
 * is sent), spools the data to disk and answers the final dot only once Exchange has accepted the message, or
 * with the reason it did not (4xx to be retried, 5xx for good). Recipients are taken from the message's headers
 * by Exchange; the envelope's are accepted as they come.
 */
final class SubmissionHandler implements MessageHandler {

    private final OutgoingSender sender;
    private final OutgoingStatus status;
    private String envelopeSender;

    SubmissionHandler(OutgoingSender sender, OutgoingStatus status) {
        this.sender = sender;
        this.status = status;
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
        // Exchange sends to the message's To, Cc and Bcc headers and refuses a bad one itself
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        status.taken(OutgoingChannel.SMTP);
        try (SpooledMessage message = SpooledMessage.of(data, sender.spoolDir(), sender.maxSize())) {
            sender.send(OutgoingChannel.SMTP, envelopeSender, message.file(), message.size());
            return "2.0.0 sent through Exchange";
        } catch (SendRefusal refusal) {
            throw new RejectException(refusal.smtpCode(), refusal.reply());
        } catch (IOException e) {
            throw new RejectException(451, "4.3.0 could not keep the message on disk: " + e.getMessage());
        } finally {
            status.released(OutgoingChannel.SMTP);
        }
    }

    @Override
    public void done() {
    }
}
