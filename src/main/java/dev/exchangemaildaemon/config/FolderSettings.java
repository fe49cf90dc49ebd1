package dev.exchangemaildaemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.exchangemaildaemon.config.MailConfig.FolderConfig;
import dev.exchangemaildaemon.config.MailConfig.Incoming;
import dev.exchangemaildaemon.config.MailConfig.MailboxConfig;
import dev.exchangemaildaemon.config.MailConfig.Target;

/**
 * One folder a mailbox polls and where its messages go: the mailbox's {@code folder}, or each of its
 * {@code folders}.
 *
 * @param key the folder's configuration key, for errors ({@code mail.incoming.mailboxes[0].folders[1]})
 * @param maildirSubfolder for a Maildir target without a path of the folder's own: the Maildir++ subfolder of the
 *     mailbox's Maildir this folder goes to ({@code .Invoices.Incoming}), empty for the inbox and a lone folder
 */
public record FolderSettings(String key, String name, TargetSettings target, Optional<String> maildirSubfolder) {

    public static List<FolderSettings> of(Incoming incoming, MailboxConfig mailbox, int index) {
        String mailboxKey = "mail.incoming.mailboxes[" + index + "]";
        if (mailbox.folders().isEmpty()) {
            return List.of(new FolderSettings(mailboxKey + ".folder", mailbox.folder(), TargetSettings.of(
                    incoming.target(), mailbox.target(), mailboxKey + ".target", mailbox.address()), Optional.empty()));
        }
        List<FolderSettings> folders = new ArrayList<>();
        List<FolderConfig> configured = mailbox.folders().get();
        for (int i = 0; i < configured.size(); i++) {
            FolderConfig folder = configured.get(i);
            String key = mailboxKey + ".folders[" + i + "]";
            List<Target> own = Stream.concat(folder.target().stream(), mailbox.target().stream()).toList();
            String targetKey = folder.target().isPresent() ? key + ".target" : mailboxKey + ".target";
            boolean ownPath = folder.target().flatMap(Target::path).isPresent();
            folders.add(new FolderSettings(key, folder.name(), TargetSettings.of(incoming.target(), own, targetKey,
                    mailbox.address()), ownPath || isInbox(folder.name()) ? Optional.empty()
                            : Optional.of(maildirPlusPlus(folder.name()))));
        }
        return folders;
    }

    private static boolean isInbox(String name) {
        return name.strip().equalsIgnoreCase("inbox");
    }

    /**
     * Maildir++ names a subfolder by its path with dots: {@code Invoices/Incoming} is {@code .Invoices.Incoming}. A
     * {@code /} or {@code \} inside a display name, which no file name may hold, becomes {@code _}:
     * {@code Inbox/A\/P Invoices} is {@code .Inbox.A_P Invoices}.
     */
    private static String maildirPlusPlus(String name) {
        List<String> segments;
        try {
            segments = FolderPath.segments(name);
        } catch (IllegalArgumentException badPath) {
            segments = List.of(name.strip()); // ConfigRules refuses the path, naming its key: nothing is delivered
        }
        return "." + segments.stream().map(segment -> segment.replace('/', '_').replace('\\', '_'))
                .collect(Collectors.joining("."));
    }
}
