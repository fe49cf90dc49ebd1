package dev.exchangemaildaemon.systemd;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Tells systemd about the service ({@code READY=1}, {@code WATCHDOG=1}, {@code STATUS=...}, see sd_notify(3)) through
 * the {@code systemd-notify} program. Java 17 cannot send on the Unix datagram socket that {@code NOTIFY_SOCKET}
 * names, and a native library would need JNA or JNI in the native image; systemd-notify is systemd's own client and
 * is on every machine that sets {@code NOTIFY_SOCKET}. As a child process it needs {@code NotifyAccess=all}; since
 * systemd 246 it waits until systemd has taken the message (a barrier), so the message is not dropped when the child
 * exits first. {@code --pid} names this process as the main one.
 */
public final class SystemdNotify {

    private static final Logger LOG = Logger.getLogger(SystemdNotify.class);
    /** Beyond systemd-notify's own 5 s wait for the barrier. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final String socket;
    private final long pid;
    private volatile boolean warned;

    SystemdNotify(String socket, long pid) {
        this.socket = socket;
        this.pid = pid;
    }

    /** Present when systemd started this process as a {@code Type=notify} service. */
    static Optional<SystemdNotify> fromEnvironment(Map<String, String> environment) {
        return Optional.ofNullable(environment.get("NOTIFY_SOCKET")).filter(socket -> !socket.isBlank())
                .map(socket -> new SystemdNotify(socket, ProcessHandle.current().pid()));
    }

    /**
     * Sends the assignments as one message; false if that failed (logged once, as systemd then restarts or stops
     * the service by its own rules, and the daemon has nothing better to do than go on).
     */
    boolean send(List<String> assignments) {
        List<String> command = new ArrayList<>(List.of("systemd-notify", "--pid=" + pid));
        assignments.forEach(assignment -> command.add(assignment.replace('\n', ' ')));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NOTIFY_SOCKET", socket);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return failed("systemd-notify did not finish within " + DEADLINE.toSeconds() + " s");
            }
            String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.exitValue() == 0
                    || failed("systemd-notify failed (exit " + process.exitValue() + "): " + output);
        } catch (IOException e) {
            return failed("cannot run systemd-notify (the systemd package): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean failed(String why) {
        if (!warned) {
            warned = true;
            LOG.warnf("Cannot notify systemd at NOTIFY_SOCKET=%s: %s (the unit needs NotifyAccess=all)", socket, why);
        }
        return false;
    }
}
