package dev.exchangemaildaemon.polling;

import dev.exchangemaildaemon.config.FolderSettings;
import dev.exchangemaildaemon.delivery.DeliveryTarget;

/** One folder of a polled mailbox: its settings, its delivery target once opened, and its messages set aside. */
final class PolledFolder {

    final FolderSettings settings;
    /** Its messages whose fetch keeps failing or that its target keeps refusing. */
    final SetAside setAside = new SetAside();
    /** Opened by the first poll, under the mailbox's lock; null until then. */
    volatile DeliveryTarget target;

    PolledFolder(FolderSettings settings) {
        this.settings = settings;
    }
}
