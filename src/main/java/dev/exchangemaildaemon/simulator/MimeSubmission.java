package dev.exchangemaildaemon.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message sent whole as MIME (EWS {@code t:MimeContent}, Graph sendMail as {@code text/plain}): as Exchange does,
 * it takes the sender from the From header and the recipients from To, Cc and Bcc. A From other than the mailbox
 * itself is refused (ErrorSendAsDenied, as the simulator grants no Send As rights), as is a message over Exchange
 * Online's 150 MB or without a recipient. Sent Items keeps the MIME exactly as given; recipients get it without
 * the Bcc header.
 */
public final class MimeSubmission {

    /** Exchange Online's largest message. */
    static final long MAX_BYTES = 150L * 1024 * 1024;
    static final String SIZE_EXCEEDED = "ErrorMessageSizeExceeded";

    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>,;:\"()]+@[^\\s<>,;:\"()]+");

    private MimeSubmission() {
    }

    /** @param savedIn where the sender's copy goes (Sent Items, or the SavedItemFolderId); null for none */
    public static void send(byte[] mime, SimMailbox sender, MailStore store, RejectedRecipients rejected, Clock clock,
                     SimFolder savedIn) throws ItemError {
        if (mime.length > MAX_BYTES) {
            throw new ItemError(SIZE_EXCEEDED, "The message exceeds the maximum supported size., Size of message "
                    + mime.length + " bytes exceeds the maximum of " + MAX_BYTES + " bytes.");
        }
        Optional<String> from = MimeHeaders.value(mime, "From").flatMap(MimeSubmission::firstAddress);
        if (from.isPresent() && !from.get().equalsIgnoreCase(sender.address())) {
            throw new ItemError(ResponseCodes.SEND_AS_DENIED);
        }
        Set<String> everyone = new LinkedHashSet<>();
        for (String header : List.of("To", "Cc", "Bcc")) {
            for (String address : MimeHeaders.value(mime, header).map(MimeSubmission::addresses).orElse(List.of())) {
                if (rejected.rejects(address)) {
                    throw new ItemError(ResponseCodes.MAIL_RECIPIENT_NOT_FOUND, "Unable to resolve e-mail address"
                            + " <>SMTP:" + address + " to an Active Directory object.");
                }
                everyone.add(address.toLowerCase(Locale.ROOT));
            }
        }
        if (everyone.isEmpty()) {
            throw new ItemError(ResponseCodes.INVALID_RECIPIENTS);
        }
        byte[] delivered = withoutBcc(mime);
        for (String address : everyone) {
            store.mailbox(address).ifPresent(recipient ->
                    recipient.add(recipient.inbox(), delivered, false, clock.instant()));
        }
        if (savedIn != null) {
            sender.add(savedIn, mime, true, clock.instant());
        }
    }

    private static Optional<String> firstAddress(String header) {
        return addresses(header).stream().findFirst();
    }

    private static List<String> addresses(String header) {
        List<String> found = new ArrayList<>();
        Matcher matcher = ADDRESS.matcher(header);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    /** The message with any Bcc header (and its folded lines) left out of the top-level header block. */
    private static byte[] withoutBcc(byte[] mime) {
        String text = new String(mime, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return mime;
        }
        String[] lines = text.substring(0, end).split("\r\n", -1);
        StringBuilder kept = new StringBuilder();
        boolean inBcc = false;
        for (String line : lines) {
            boolean continuation = line.startsWith(" ") || line.startsWith("\t");
            if (!continuation) {
                inBcc = line.regionMatches(true, 0, "Bcc:", 0, 4);
            }
            if (!inBcc) {
                kept.append(line).append("\r\n");
            }
        }
        return (kept + text.substring(end + 2)).getBytes(StandardCharsets.ISO_8859_1);
    }
}
