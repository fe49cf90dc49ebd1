package dev.exchangemaildaemon.mailbox;

import javax.net.ssl.SSLContext;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import io.micrometer.core.instrument.MeterRegistry;

/** The transport that {@code mail.exchange.api} selects; everything else injects just {@link MailboxConnector}. */
@ApplicationScoped
public class SelectedConnector {

    @Produces
    @ApplicationScoped
    @Alternative
    @Priority(1)
    MailboxConnector connector(MailConfig config, Instance<EwsConnector> ews, SSLContext tls, MeterRegistry metrics) {
        return switch (config.exchange().api()) {
            case EWS -> ews.get();
            case GRAPH -> new GraphConnector(config, tls, metrics);
        };
    }

    void close(@Disposes MailboxConnector connector) {
        if (connector instanceof GraphConnector graph) {
            graph.close();
        }
    }
}
