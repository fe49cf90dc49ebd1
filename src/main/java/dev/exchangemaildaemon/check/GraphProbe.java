package dev.exchangemaildaemon.check;

import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLContext;

import jakarta.enterprise.context.ApplicationScoped;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.MailboxApi;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Tells "EWS is blocked for this tenant or app" apart from permissions still propagating. Exchange Online answers
 * both with HTTP 403 and Microsoft documents no body that tells them apart, but its EWS switches
 * ({@code EwsEnabled} for the organization, {@code EwsAllowedAppIDs}) block EWS alone: if Microsoft Graph opens the
 * same folder with the same app, the app may reach the mailbox and it is EWS that refuses it. Asked only for an app
 * token (client-secret flow) against Exchange Online over EWS, after the 403 outlasted the check's retries.
 */
@ApplicationScoped
public class GraphProbe {

    /** EWS hosts of Exchange Online, where the tenant's EWS switches apply; Exchange Server has none of them. */
    private static final Set<String> EXCHANGE_ONLINE = Set.of("outlook.office365.com", "outlook.office365.us",
            "webmail.apps.mil", "partner.outlook.cn");

    private final MailConfig config;
    private final EntraTokens tokens;
    private final SSLContext tls;
    private final MeterRegistry metrics;

    GraphProbe(MailConfig config, EntraTokens tokens, SSLContext tls, MeterRegistry metrics) {
        this.config = config;
        this.tokens = tokens;
        this.tls = tls;
        this.metrics = metrics;
    }

    /** Whether this setup is one the probe can ask about: an app over EWS to Exchange Online. */
    boolean applies() {
        return config.exchange().api() == MailboxApi.EWS && config.entra().authFlow().appOnly()
                && EXCHANGE_ONLINE.contains(config.endpoints().exchangeServer().toLowerCase(Locale.ROOT));
    }

    /** Whether Graph opens the mailbox's folder with the app's own token; any failure counts as no. */
    boolean opensFolder(String address, String folder) {
        try (GraphConnector graph = new GraphConnector(config, tls, metrics)) {
            graph.connect(address, tokens.appTokensForGraph()).checkFolder(folder);
            return true;
        } catch (MailboxException refused) {
            return false;
        }
    }
}
