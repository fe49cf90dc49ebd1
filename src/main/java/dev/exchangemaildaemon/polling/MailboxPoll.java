package dev.exchangemaildaemon.polling;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryKey;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.DeliveryTarget;
import dev.exchangemaildaemon.delivery.Envelope;
import dev.exchangemaildaemon.delivery.Handover;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;

/**
 * One poll of one mailbox, in the order that loses nothing: find unread messages, hand each new one to the
 * {@link DeliveryTarget target} (the Maildir, a command, an LMTP server), record what the target accepted as
 * delivered, and only then do the after-delivery action on the server and record that too. A message recorded as
 * delivered whose action is still pending (a crash, a failed request) gets its action on the next poll, without being
 * delivered again. A message whose fetch keeps failing, or that the target keeps refusing, is {@link SetAside set
 * aside}, so that the messages after it are delivered; a target's "try again" (EX_TEMPFAIL, LMTP 4xx) leaves the
 * message unread for the next poll without counting against it.
 */
final class MailboxPoll {

    private static final Logger LOG = Logger.getLogger(MailboxPoll.class);
    /** The code of a message the target refused (exit status, LMTP 5xx): it counts toward setting it aside. */
    static final String TARGET_REFUSED = "TARGET_REFUSED";
    /** The code of a message the target asked to get again later (EX_TEMPFAIL, LMTP 4xx). */
    static final String TARGET_TRY_AGAIN = "TARGET_TRY_AGAIN";

    private final Mailbox mailbox;
    private final String folder;
    private final DeliveryTarget target;
    private final DeliveryLog log;
    private final AfterDelivery afterDelivery;
    private final String moveToFolder;
    private final String hostName;
    private final SetAside setAside;
    private final PollProgress progress;

    MailboxPoll(Mailbox mailbox, String folder, DeliveryTarget target, DeliveryLog log, AfterDelivery afterDelivery,
            String moveToFolder, String hostName, SetAside setAside, PollProgress progress) {
        this.mailbox = mailbox;
        this.folder = folder;
        this.target = target;
        this.log = log;
        this.afterDelivery = afterDelivery;
        this.moveToFolder = moveToFolder;
        this.hostName = hostName;
        this.setAside = setAside;
        this.progress = progress;
    }

    PollOutcome run() throws MailboxException, IOException {
        List<MessageRef> unread = mailbox.findUnread(folder);
        // Set aside by the server's item id: messages sharing a delivery key fail and succeed each on its own.
        Set<String> unreadIds = new HashSet<>();
        unread.forEach(message -> unreadIds.add(message.id()));
        boolean retrySetAside = setAside.pollStarted(unreadIds);
        List<MessageRef> toFetch = new ArrayList<>();
        List<MessageRef> setAsideToRetry = new ArrayList<>();
        List<MessageRef> actionPending = new ArrayList<>();
        Set<String> inMaildir = null;
        Set<String> shared = sharedKeys(unread);
        List<MessageRef> doneYetUnread = new ArrayList<>();
        for (MessageRef message : unread) {
            String key = DeliveryKey.of(message);
            DeliveryLog.State state = log.state(key);
            if (state == DeliveryLog.State.DONE) {
                if (afterDelivery != AfterDelivery.KEEP) {
                    doneYetUnread.add(message);
                }
                continue;
            }
            if (shared.contains(key)) {
                // Which of them the target has cannot be told: fetch all, the Maildir keeps one copy of each.
                toFetch.add(message);
                continue;
            }
            if (state == null) {
                if (inMaildir == null) {
                    inMaildir = target.presentKeys();
                }
                if (!inMaildir.contains(key)) {
                    if (!setAside.isSetAside(message.id())) {
                        toFetch.add(message);
                    } else if (retrySetAside) {
                        setAsideToRetry.add(message);
                    }
                    continue;
                }
                // Written before a crash that came before the record: record it now, never write it twice.
                log.delivered(List.of(key));
            }
            actionPending.add(message);
        }
        toFetch.addAll(setAsideToRetry); // last, so that they cannot hold up the others

        warnIfDoneYetUnread(doneYetUnread);
        List<ItemFailure> failures = new ArrayList<>();
        int alreadyInMaildir = actionPending.size();
        MailboxException fetchError = null;
        List<Received> received = new ArrayList<>();
        Set<String> writtenIds = new HashSet<>();
        List<MessageRef> remaining = toFetch;
        while (!remaining.isEmpty()) {
            try {
                List<ItemFailure> refused = mailbox.fetchMime(remaining, (message, mime) -> {
                    Envelope envelope = envelope(message);
                    CountedProgress counted = new CountedProgress(mime);
                    Path file = target.receive(envelope, counted);
                    received.add(new Received(message, envelope, file, counted.bytes));
                    writtenIds.add(message.id());
                    progress.made();
                });
                refused.stream().filter(failure -> failure.error().backOff().isEmpty())
                        .forEach(failure -> failedAttempt(failure.message(), failure.error()));
                failures.addAll(refused);
                break;
            } catch (MailboxException e) {
                List<MessageRef> left = remaining.stream().filter(message -> !writtenIds.contains(message.id()))
                        .toList();
                // the fetch was at the first message not delivered when it failed; once set aside, it fails alone
                if (left.isEmpty() || !SetAside.blamesTheMessage(e)) {
                    fetchError = e;
                    break;
                }
                boolean wasSetAside = setAside.isSetAside(left.get(0).id());
                if (!failedAttempt(left.get(0), e) && !wasSetAside) {
                    fetchError = e;
                    break;
                }
                failures.add(new ItemFailure(left.get(0), e));
                remaining = left.subList(1, left.size());
            }
        }
        List<String> written = new ArrayList<>();
        Set<String> acceptedIds = new HashSet<>();
        List<String> refusals = new ArrayList<>();
        HandedOver handedOver;
        try {
            handedOver = handOver(received, shared, written, acceptedIds, actionPending, failures, refusals);
            holdBackIncompleteSharedKeys(shared, toFetch, acceptedIds, written, actionPending);
            // One directory force and one record force for the whole fetch, before any server action. A crash before
            // them leaves files in new/ without records: the next poll recognises them by name and records them.
            target.sync();
            log.delivered(written);
        } catch (IOException e) {
            if (fetchError != null) {
                e.addSuppressed(fetchError);
            }
            throw e;
        }
        // Whatever the target accepted gets its server action, even when the fetch stopped half-way.
        List<ItemFailure> actionFailures;
        try {
            actionFailures = completeActions(actionPending);
        } catch (MailboxException | IOException e) {
            if (fetchError != null) {
                e.addSuppressed(fetchError);
            }
            throw e;
        }
        if (handedOver.unreachable() != null) {
            if (fetchError != null) {
                handedOver.unreachable().addSuppressed(fetchError);
            }
            throw handedOver.unreachable();
        }
        if (fetchError != null) {
            throw fetchError;
        }
        failures.addAll(actionFailures);
        failures.forEach(failure -> LOG.warnf("%s: message %s skipped this poll: %s", mailbox.address(),
                name(failure.message()), failure.error().getMessage()));
        return new PollOutcome(unread.size(), actionPending.size() - alreadyInMaildir, handedOver.bytes(),
                actionPending.size() - actionFailures.size(), failures.size(), longestBackOff(failures), refusals);
    }

    /** A message fetched whole, waiting to be handed over. */
    private record Received(MessageRef message, Envelope envelope, Path file, long size) {
    }

    /** The bytes the target accepted, and why it could not be reached, if it could not. */
    private record HandedOver(long bytes, IOException unreachable) {
    }

    /**
     * Hands the fetched messages to the target one by one, in the order fetched; returns the bytes it accepted. A
     * target that cannot show what it holds has each accepted message recorded at once (one forced line), so that a
     * crash right after cannot make it deliver that message again; the Maildir's are recorded together afterwards.
     * A refusal is a failed attempt at the message (it is set aside after {@link SetAside#ATTEMPTS}); "try again" is
     * not. When the target cannot be reached at all, the rest are dropped: the poll records and actions what the
     * target accepted before, then fails.
     */
    private HandedOver handOver(List<Received> received, Set<String> shared, List<String> written, Set<String> acceptedIds,
            List<MessageRef> actionPending, List<ItemFailure> failures, List<String> refusals) throws IOException {
        long bytes = 0;
        for (int i = 0; i < received.size(); i++) {
            Received next = received.get(i);
            MessageRef message = next.message();
            String key = next.envelope().key();
            Handover answer;
            long size = next.size();
            try {
                answer = target.handOver(next.envelope(), next.file());
            } catch (IOException e) {
                for (Received dropped : received.subList(i, received.size())) {
                    target.discard(dropped.file());
                }
                return new HandedOver(bytes, new IOException(target.describe() + " could not take message "
                        + name(message) + ": " + e.getMessage(), e));
            }
            progress.made();
            switch (answer.verdict()) {
                case ACCEPTED -> {
                    bytes += size;
                    if (target.showsWhatItHolds() || shared.contains(key)) {
                        written.add(key);
                    } else {
                        log.delivered(List.of(key));
                    }
                    acceptedIds.add(message.id());
                    actionPending.add(message);
                    if (setAside.delivered(message.id())) {
                        LOG.infof("%s: message %s, set aside before, is delivered", mailbox.address(), name(message));
                    }
                }
                case TRY_AGAIN -> {
                    failures.add(new ItemFailure(message, new MailboxException(TARGET_TRY_AGAIN,
                            MailboxException.Kind.TRANSIENT, answer.detail())));
                    refusals.add(name(message) + " (for now): " + answer.detail());
                }
                case REFUSED -> {
                    MailboxException refusal = new MailboxException(TARGET_REFUSED, MailboxException.Kind.PERMANENT,
                            answer.detail());
                    failedAttempt(message, refusal);
                    failures.add(new ItemFailure(message, refusal));
                    refusals.add(name(message) + ": " + answer.detail());
                }
            }
        }
        return new HandedOver(bytes, null);
    }

    private Envelope envelope(MessageRef message) {
        String key = DeliveryKey.of(message);
        return new Envelope(mailbox.address(), folder, message.internetMessageId().filter(id -> !id.isBlank()),
                message.received(), key, fileName(message, key));
    }

    /**
     * A key that several unread messages share counts as delivered only once every one of them is in the Maildir:
     * recorded earlier, the message still missing would be taken for delivered at the next poll and never fetched.
     * Until then none of them is recorded or gets its server action; the next poll fetches them all again, and the
     * Maildir drops the copies it already has (a command or LMTP target, which cannot show what it holds, gets the
     * ones it took again). Once all are accepted, nothing is held back.
     */
    private void holdBackIncompleteSharedKeys(Set<String> shared, List<MessageRef> fetched, Set<String> acceptedIds,
            List<String> written, List<MessageRef> actionPending) {
        Set<String> incomplete = new HashSet<>();
        fetched.stream().filter(message -> !acceptedIds.contains(message.id()))
                .map(DeliveryKey::of).filter(shared::contains).forEach(incomplete::add);
        if (incomplete.isEmpty()) {
            return;
        }
        written.removeIf(incomplete::contains);
        actionPending.removeIf(message -> incomplete.contains(DeliveryKey.of(message)));
        LOG.warnf("%s: %d delivery key(s) shared by several messages are held back, unread on the server, until every"
                + " message carrying them is in the Maildir", mailbox.address(), incomplete.size());
    }

    /** Counts a failed attempt at the message; true when that sets it aside, which the log then says. */
    private boolean failedAttempt(MessageRef message, MailboxException error) {
        if (!setAside.failed(message.id(), name(message), error)) {
            return false;
        }
        LOG.warnf("%s: message %s set aside after %d failed attempts: it stays unread on the server, the messages"
                + " after it are delivered, and it is tried again every %d polls. Last error: %s", mailbox.address(),
                name(message), SetAside.ATTEMPTS, SetAside.RETRY_EVERY, error.getMessage());
        return true;
    }

    /**
     * The message body, noting progress as its bytes arrive (a long transfer is not a stuck poller) and counting
     * them: the size of what is handed over, whatever the target does with its file meanwhile.
     */
    private final class CountedProgress extends FilterInputStream {

        long bytes;

        CountedProgress(InputStream mime) {
            super(mime);
        }

        @Override
        public int read() throws IOException {
            int next = super.read();
            if (next >= 0) {
                bytes++;
            }
            progress.made();
            return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                bytes += read;
            }
            progress.made();
            return read;
        }
    }

    private static String name(MessageRef message) {
        return message.internetMessageId().orElse(message.id());
    }

    /**
     * The keys that several listed messages share (one Message-ID and received second): each of them is fetched,
     * and the Maildir gives a different message a name of its own (see {@link Maildir#deliver}). Logged.
     */
    private Set<String> sharedKeys(List<MessageRef> unread) {
        Map<String, MessageRef> listed = new HashMap<>();
        Set<String> shared = new HashSet<>();
        for (MessageRef message : unread) {
            String key = DeliveryKey.of(message);
            MessageRef first = listed.putIfAbsent(key, message);
            if (first != null) {
                shared.add(key);
                LOG.warnf("%s: messages %s and %s share Message-ID %s and received time %s (one delivery key): both"
                        + " are delivered, neither replaces the other", mailbox.address(), first.id(), message.id(),
                        message.internetMessageId().orElse("(none)"), message.received());
            }
        }
        return shared;
    }

    /**
     * Unread messages whose key is recorded as delivered and done although the action (mark read, move, delete)
     * should have taken them out of the unread: another message with the same Message-ID and received second, or
     * one marked unread again (or kept before after-delivery was changed from keep). They are not delivered again;
     * this says so, once per poll.
     */
    private void warnIfDoneYetUnread(List<MessageRef> messages) {
        if (!messages.isEmpty()) {
            LOG.warnf("%s: %d unread message(s) have the delivery key (Message-ID and received time) of a message"
                    + " already delivered and done, so they are left unread on the server and not delivered again"
                    + " (if one is a different message, take it from the server by hand): %s",
                    mailbox.address(), messages.size(), messages.stream().limit(5)
                            .map(m -> m.internetMessageId().orElse(m.id()) + " received " + m.received()).toList());
        }
    }

    private List<ItemFailure> completeActions(List<MessageRef> messages) throws MailboxException, IOException {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<ItemFailure> failures = switch (afterDelivery) {
            case MARK_READ -> mailbox.markRead(messages);
            case MOVE -> mailbox.move(messages, moveToFolder);
            case DELETE -> mailbox.delete(messages);
            case KEEP -> List.of();
        };
        Set<String> failed = new HashSet<>();
        failures.forEach(failure -> failed.add(failure.message().id()));
        List<String> done = new ArrayList<>();
        for (MessageRef message : messages) {
            if (!failed.contains(message.id())) {
                done.add(DeliveryKey.of(message));
            }
        }
        log.done(done);
        return failures;
    }

    private static Optional<Duration> longestBackOff(List<ItemFailure> failures) {
        return failures.stream().map(failure -> failure.error().backOff()).flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    private String fileName(MessageRef message, String key) {
        return message.received().getEpochSecond() + "." + key + "." + hostName;
    }
}
