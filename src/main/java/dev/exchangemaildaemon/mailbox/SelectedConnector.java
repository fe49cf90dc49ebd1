package dev.exchangemaildaemon.mailbox;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import dev.exchangemaildaemon.config.MailConfig;

/**
 * The transport that {@code mail.exchange.api} selects, among the {@link Transport} beans; everything else injects
 * just {@link MailboxConnector}. Chosen by the parsed enum rather than by the property's text, so that every
 * spelling the configuration accepts selects the same transport. Only the selected transport is ever created.
 */
@ApplicationScoped
public class SelectedConnector {

    @Produces
    @Alternative
    @Priority(1)
    MailboxConnector connector(MailConfig config, @Any Instance<MailboxConnector> transports) {
        return transports.select(new Transport.Literal(config.exchange().api())).get();
    }
}
