package dev.exchangemaildaemon.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

import dev.exchangemaildaemon.config.TargetSettings;
import dev.exchangemaildaemon.delivery.CommandTarget;
import dev.exchangemaildaemon.delivery.DeliveryTarget;
import dev.exchangemaildaemon.delivery.LmtpAddress;
import dev.exchangemaildaemon.delivery.LmtpTarget;
import dev.exchangemaildaemon.delivery.MailboxFiles;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.delivery.SpoolDirectory;

/**
 * One delivery target under test, set up in a directory, and what it holds afterwards. Whatever the target, the
 * messages end up in a Maildir per mailbox under {@code {dir}/maildir/}: the daemon's own, the one the import script
 * files into, or Dovecot's. {@link #delivered} gives them as they were handed over (without the line Dovecot puts in
 * front), so that one assertion serves every target.
 */
public final class TargetFixture implements AutoCloseable {

    /** The shell script the command target runs. */
    public static final Path IMPORT_SCRIPT = resource("/targets/import-into-maildir.sh");

    private final TargetKind kind;
    private final Path dir;
    private final Dovecot dovecot;

    private TargetFixture(TargetKind kind, Path dir, Dovecot dovecot) {
        this.kind = kind;
        this.dir = dir;
        this.dovecot = dovecot;
    }

    public static TargetFixture start(TargetKind kind, Path dir) throws IOException {
        return start(kind, dir, List.of());
    }

    /** @param quotaUsers for LMTP: Dovecot users who refuse (or defer) a message over their quota */
    public static TargetFixture start(TargetKind kind, Path dir, List<Dovecot.QuotaUser> quotaUsers)
            throws IOException {
        Dovecot dovecot = kind == TargetKind.LMTP
                ? Dovecot.start(dir.resolve("dovecot"), maildirs(dir), quotaUsers)
                : null;
        return new TargetFixture(kind, dir, dovecot);
    }

    public TargetKind kind() {
        return kind;
    }

    public static Path maildirs(Path dir) {
        return dir.resolve("maildir");
    }

    /** The mailbox's Maildir that the target fills. */
    public Path maildir(String address) {
        return maildirs(dir).resolve(address.toLowerCase(Locale.ROOT));
    }

    public Path stateDir() {
        return dir.resolve("state");
    }

    /** The mailbox's target, as the daemon opens it; {@code recipient} only for LMTP. */
    public DeliveryTarget open(String address) throws IOException {
        return open(address, address);
    }

    public DeliveryTarget open(String address, String recipient) throws IOException {
        SpoolDirectory spool = SpoolDirectory.open(MailboxFiles.spool(stateDir(), address));
        return switch (kind) {
            case MAILDIR -> new Maildir(maildir(address)).create();
            case COMMAND -> new CommandTarget(command(address), TargetSettings.DEFAULT_TIMEOUT, new Semaphore(1),
                    spool);
            case LMTP -> new LmtpTarget(LmtpAddress.parse(dovecot.socket().toString()), recipient,
                    TargetSettings.DEFAULT_TIMEOUT, spool);
        };
    }

    /** The import script's command line for that mailbox, whose Maildir it creates. */
    public List<String> command(String address) throws IOException {
        Path maildir = maildir(address);
        for (String sub : new String[] { "tmp", "new", "cur" }) {
            Files.createDirectories(maildir.resolve(sub));
        }
        return List.of("/bin/sh", IMPORT_SCRIPT.toString(), maildir.toString());
    }

    /** The daemon's configuration keys that make this the target of every mailbox (for the packaged daemon). */
    public Map<String, String> config(String address) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        switch (kind) {
            case MAILDIR -> {
            }
            case COMMAND -> {
                keys.put("type", "command");
                List<String> command = command(address);
                for (int i = 0; i < command.size(); i++) {
                    keys.put("command[" + i + "]", command.get(i));
                }
            }
            case LMTP -> {
                keys.put("type", "lmtp");
                keys.put("lmtp", "127.0.0.1:" + dovecot.port());
            }
        }
        return keys;
    }

    /** The same keys as options of the packaged daemon ({@code -Dmail.incoming.target.type=command}). */
    public String[] daemonOptions(String address) throws IOException {
        return config(address).entrySet().stream()
                .map(key -> "-Dmail.incoming.target." + key.getKey() + "=" + key.getValue()).toArray(String[]::new);
    }

    /** How many bytes the target puts in front of each message it stores (Dovecot's Return-Path line). */
    public int addedInFront() {
        return kind == TargetKind.LMTP ? Dovecot.RETURN_PATH.length() : 0;
    }

    /** The messages the target holds for the mailbox, as they were handed over. */
    public List<ByteBuffer> delivered(String address) {
        List<ByteBuffer> messages = MaildirContents.messages(maildirs(dir), address.toLowerCase(Locale.ROOT));
        if (kind != TargetKind.LMTP) {
            return messages;
        }
        byte[] prefix = Dovecot.RETURN_PATH.getBytes(StandardCharsets.US_ASCII);
        List<ByteBuffer> handedOver = new ArrayList<>();
        for (ByteBuffer message : messages) {
            assertTrue(message.remaining() >= prefix.length
                    && message.slice(0, prefix.length).equals(ByteBuffer.wrap(prefix)), "Dovecot's Return-Path first");
            handedOver.add(message.slice(prefix.length, message.remaining() - prefix.length));
        }
        return handedOver;
    }

    /** Files left half-way: in the Maildir's {@code tmp/}, or in the daemon's spool. */
    public int leftBehind(String address) {
        try {
            return MaildirContents.count(maildir(address).resolve("tmp"))
                    + MaildirContents.count(MailboxFiles.spool(stateDir(), address));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dovecot's log, if there is a Dovecot, for a failing assertion's message. */
    public String serverLog() {
        return dovecot == null ? "" : dovecot.log();
    }

    @Override
    public void close() {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(TargetFixture.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
