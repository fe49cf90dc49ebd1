package dev.exchangemaildaemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Dovecot LMTP server (Debian's {@code dovecot-core} and {@code dovecot-lmtpd}) with a throw-away configuration
 * under one directory: it listens on a Unix socket and on a free port on 127.0.0.1, and files each recipient's mail
 * into {@code {maildirs}/{recipient}/} (lower-cased). CRLF is kept and no Received or Delivered-To header is added, so
 * a delivered message is the one handed over with Dovecot's {@code Return-Path: <>} line in front.
 *
 * <p>Run as root (CI), Dovecot will not deliver as root: its mail user is then nobody (65534), who is given the mail
 * directories. Run as another user, it runs and delivers as that user.
 *
 * <p>Users with their own rules, each an address and a quota in bytes: a message that would pass the quota is refused
 * with 552 (5.2.2), or with 452 (4.2.2) for a user marked {@code tempfail}.
 */
public final class Dovecot implements AutoCloseable {

    /** What Dovecot puts in front of each message delivered with {@code MAIL FROM:<>}. */
    public static final String RETURN_PATH = "Return-Path: <>\r\n";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    /** A user with a quota: over it, a message is refused, for good or (tempfail) for now. */
    public record QuotaUser(String address, long quotaBytes, boolean tempfail) {
    }

    private final Process process;
    private final Path dir;
    private final Path socket;
    private final int port;

    private Dovecot(Process process, Path dir, Path socket, int port) {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
        this.port = port;
    }

    public static Dovecot start(Path dir, Path maildirs, List<QuotaUser> quotaUsers) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/sbin/dovecot")) || !Files.exists(Path.of("/usr/lib/dovecot/lmtp"))) {
            throw new IllegalStateException("Dovecot is not installed: apt-get install dovecot-core dovecot-lmtpd"
                    + " (.ci/run does it)");
        }
        Path base = Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(maildirs);
        boolean root = "root".equals(System.getProperty("user.name"));
        String user = root ? "nobody" : System.getProperty("user.name");
        String uid = root ? "65534" : String.valueOf(unixId(base, "uid"));
        String gid = root ? "65534" : String.valueOf(unixId(base, "gid"));
        if (root) {
            UserPrincipalLookupService names = maildirs.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(maildirs, names.lookupPrincipalByName(user));
            // a test's temporary directory is the owner's alone: nobody must be able to pass through to the Maildirs
            for (Path up = maildirs.toAbsolutePath().getParent(); up != null && up.getNameCount() > 1; up = up.getParent()) {
                Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(up));
                if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(up, permissions);
                }
            }
        }
        int port = FreePorts.next();
        Path users = dir.resolve("users");
        // passwd-file: user:password:uid:gid:gecos:home:shell:extra fields (here plugin settings for this user)
        Files.writeString(users, quotaUsers.stream()
                .map(quota -> quota.address().toLowerCase(java.util.Locale.ROOT) + "::" + uid + ":" + gid + "::"
                        + maildirs + "::userdb_quota_rule=*:bytes=" + quota.quotaBytes()
                        + " userdb_quota_full_tempfail=" + (quota.tempfail() ? "yes" : "no"))
                .collect(Collectors.joining("\n", "", "\n")));
        Path config = dir.resolve("dovecot.conf");
        Files.writeString(config, """
                base_dir = %1$s
                state_dir = %2$s
                log_path = %3$s
                protocols = lmtp
                listen = 127.0.0.1
                ssl = no
                default_internal_user = %4$s
                default_login_user = %4$s
                first_valid_uid = 1
                mail_location = maildir:%5$s/%%Lu
                mail_save_crlf = yes
                mail_plugins = quota
                lmtp_add_received_header = no
                lmtp_hdr_delivery_address = none
                plugin {
                  quota = maildir:User quota
                }
                passdb {
                  driver = static
                  args = nopassword=y
                }
                userdb {
                  driver = passwd-file
                  args = %6$s
                  skip = found
                }
                userdb {
                  driver = static
                  args = uid=%7$s gid=%8$s home=%5$s
                }
                service lmtp {
                  unix_listener lmtp {
                    mode = 0666
                  }
                  inet_listener lmtp {
                    address = 127.0.0.1
                    port = %9$d
                  }
                }
                """.formatted(base, dir.resolve("state"), dir.resolve("dovecot.log"), user, maildirs, users, uid, gid,
                port));
        Process process = new ProcessBuilder("/usr/sbin/dovecot", "-F", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dovecot.out").toFile()).start();
        Dovecot dovecot = new Dovecot(process, dir, base.resolve("lmtp"), port);
        dovecot.awaitListening();
        return dovecot;
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!Files.exists(socket) || !isListening(port)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                close();
                throw new IOException("Dovecot did not start within " + START_TIMEOUT + ": " + log());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    public Path socket() {
        return socket;
    }

    public int port() {
        return port;
    }

    /** Dovecot's log and what it printed, for a failing test's message. */
    public String log() {
        StringBuilder text = new StringBuilder();
        for (String name : new String[] { "dovecot.out", "dovecot.log" }) {
            try {
                Path file = dir.resolve(name);
                if (Files.exists(file)) {
                    text.append(Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The user or group id this process creates files as. */
    private static long unixId(Path created, String which) throws IOException {
        return ((Number) Files.getAttribute(created, "unix:" + which)).longValue();
    }

    private static boolean isListening(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
