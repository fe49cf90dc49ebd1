package dev.exchangemaildaemon.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Folder paths for tests to seed and inspect nested folders: {@code Invoices/Incoming} is the folder Incoming under
 * the folder Invoices under the mailbox root; a first segment that is a distinguished id ({@code inbox/Orders})
 * starts at that folder. Display names compare ignoring case, as Exchange compares them; {@code \/} is a {@code /}
 * inside one ({@code inbox/A\/P Invoices}).
 */
final class FolderPaths {

    private FolderPaths() {
    }

    /** The folder at the path; with {@code create}, missing folders on the way are created. */
    static SimFolder walk(SimMailbox mailbox, String path, boolean create) {
        String[] segments = Arrays.stream(path.split("(?<!\\\\)/", -1)).map(name -> name.replace("\\/", "/"))
                .toArray(String[]::new);
        SimFolder folder = mailbox.distinguishedFolder(segments[0].toLowerCase(Locale.ROOT)).orElse(null);
        int first = 1;
        if (folder == null) {
            folder = mailbox.distinguishedFolder("msgfolderroot").orElseThrow();
            first = 0;
        }
        for (int i = first; i < segments.length; i++) {
            String name = segments[i];
            Optional<SimFolder> child = folder.child(name);
            if (child.isPresent()) {
                folder = child.get();
            } else if (create) {
                folder = mailbox.createFolder(folder, name);
            } else {
                throw new IllegalArgumentException("no folder " + path + " in " + mailbox.address());
            }
        }
        return folder;
    }
}
