package dev.exchangemaildaemon.outgoing;

import java.net.InetAddress;
import java.util.List;
import java.io.IOException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.subethamail.smtp.server.SMTPServer;

import dev.exchangemaildaemon.config.MailConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The SMTP submission port ({@code mail.outgoing.smtp}) for software that can only send by SMTP: each message is
 * sent through Exchange as its envelope sender. Not opened by the admin commands, which run beside the daemon.
 */
@ApplicationScoped
public class SmtpSubmission {

    private static final Logger LOG = Logger.getLogger(SmtpSubmission.class);
    /**
     * Connections at once; one more is answered 421 (try again later). Local software opens one or a few; each
     * connection can hold a message on its way to Exchange, so the library's default of 1,000 would let a runaway
     * client or a flood take the daemon's memory and threads from the mailboxes.
     */
    static final int MAX_CONNECTIONS = 16;

    private final MailConfig config;
    private final OutgoingSender sender;
    private final OutgoingStatus status;
    private final boolean adminCommand;
    private volatile SMTPServer server;
    private SubmittedMessages submitted;

    SmtpSubmission(MailConfig config, OutgoingSender sender, OutgoingStatus status,
            @ConfigProperty(name = "exchange-mail-daemon.admin-command", defaultValue = "false") boolean adminCommand) {
        this.config = config;
        this.sender = sender;
        this.status = status;
        this.adminCommand = adminCommand;
    }

    void start(@Observes @Priority(150) StartupEvent event) throws IOException {
        MailConfig.Smtp smtp = config.outgoing().smtp();
        if (!smtp.enabled() || adminCommand) {
            return;
        }
        submitted = SubmittedMessages.open(config.incoming().stateDir().resolve("outgoing-smtp.sent"));
        server = SmtpSecurity.apply(smtp, SMTPServer.port(smtp.port())
                .bindAddress(InetAddress.getByName(smtp.host()))
                .softwareName("exchange-mail-daemon")
                .maxConnections(MAX_CONNECTIONS)
                .messageHandlerFactory(context -> new SubmissionHandler(sender, status, submitted))
                // the message goes to Exchange exactly as the software wrote it
                .insertReceivedHeaders(false)
                .maxMessageSize((int) Math.min(Integer.MAX_VALUE, config.outgoing().maxMessageSize())))
                .build();
        server.start();
        LOG.infof("SMTP submission on %s:%d for %s%s%s", smtp.host(), server.getPortAllocated(),
                String.join(", ", config.outgoing().senders().orElse(List.of())),
                smtp.keyStore().isPresent() ? ", STARTTLS required" : "",
                smtp.username().isPresent() ? ", AUTH required" : "");
    }

    void stop(@Observes ShutdownEvent event) throws IOException {
        if (server != null) {
            server.stop();
            submitted.close();
        }
    }

    /** The port it listens on (the one allocated, for port 0). */
    int port() {
        return server.getPortAllocated();
    }

    /** Whether the port is open. */
    public boolean listening() {
        return server != null && server.isRunning();
    }
}
