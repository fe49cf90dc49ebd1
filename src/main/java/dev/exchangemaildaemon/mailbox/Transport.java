package dev.exchangemaildaemon.mailbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

import dev.exchangemaildaemon.config.MailConfig.MailboxApi;

/**
 * Marks a {@link MailboxConnector} bean as the transport for one value of {@code mail.exchange.api}; the
 * {@link SelectedConnector} picks the one configured, so this package need not know the implementations.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER })
public @interface Transport {

    MailboxApi value();

    /** The qualifier as a value, for selecting from an {@code Instance}. */
    final class Literal extends AnnotationLiteral<Transport> implements Transport {

        private final MailboxApi value;

        public Literal(MailboxApi value) {
            this.value = value;
        }

        @Override
        public MailboxApi value() {
            return value;
        }
    }
}
