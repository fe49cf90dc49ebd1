package dev.exchangemaildaemon.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Gives each console line its syslog priority when stdout goes to the journal, so that {@code journalctl -p warning}
 * shows the warnings and errors: journald reads a leading {@code <4>} as "warning" and strips it (systemd.exec(5),
 * {@code SyslogLevelPrefix=}, on by default). The priority goes into the record's MDC as
 * {@value #MDC_KEY}, which the console format prints first; it is set only when {@code JOURNAL_STREAM} names this
 * process's stdout (systemd sets it for the service; a shell redirect would inherit it), and not for JSON lines.
 * Only the first line of a stack trace carries it.
 */
@LoggingFilter(name = "journal-priority")
public final class JournalPriority implements Filter {

    static final String MDC_KEY = "journal-priority";

    private final boolean active;

    /** Created while logging is set up, before CDI: the configuration is read directly. */
    public JournalPriority() {
        this(ConfigProvider.getConfig().getOptionalValue("quarkus.log.console.json.enabled", Boolean.class)
                .orElse(false), System.getenv());
    }

    JournalPriority(boolean json, Map<String, String> environment) {
        this.active = !json && stdoutIsTheJournal(environment);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (active && record instanceof ExtLogRecord ext) {
            ext.putMdc(MDC_KEY, prefix(record.getLevel()));
        }
        return true;
    }

    /** sd-daemon.h's prefixes: error 3, warning 4, info 6, debug 7. */
    static String prefix(Level level) {
        int value = level.intValue();
        if (value >= org.jboss.logmanager.Level.ERROR.intValue()) {
            return "<3>";
        }
        if (value >= org.jboss.logmanager.Level.WARN.intValue()) {
            return "<4>";
        }
        return value >= org.jboss.logmanager.Level.INFO.intValue() ? "<6>" : "<7>";
    }

    /** JOURNAL_STREAM is "device:inode" of the journal's stream; stdout must be that very stream. */
    static boolean stdoutIsTheJournal(Map<String, String> environment) {
        String stream = environment.get("JOURNAL_STREAM");
        if (stream == null || stream.isBlank()) {
            return false;
        }
        try {
            Path stdout = Path.of("/proc/self/fd/1");
            Object device = Files.getAttribute(stdout, "unix:dev");
            return stream.trim().equals(device + ":" + Files.getAttribute(stdout, "unix:ino"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
