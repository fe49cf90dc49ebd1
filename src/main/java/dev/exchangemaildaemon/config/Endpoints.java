package dev.exchangemaildaemon.config;

import java.net.URI;

/**
 * The hosts in effect: those of {@code mail.entra.cloud}, each replaced by its key where one is set. Token
 * resources follow the cloud (or {@code server} and {@code graph-resource}), never {@code ews-url} or
 * {@code graph-url}, which may name a proxy or private endpoint.
 *
 * @param authorityHost Entra ID, such as {@code https://login.microsoftonline.com}
 * @param exchangeServer the EWS host, such as {@code outlook.office365.com}
 * @param ews the EWS endpoint
 * @param graphUrl Microsoft Graph's base URL
 * @param graphResource Graph's token resource, such as {@code https://graph.microsoft.com}
 */
public record Endpoints(URI authorityHost, String exchangeServer, URI ews, URI graphUrl, URI graphResource) {

    static Endpoints of(MailConfig config) {
        Cloud cloud = config.entra().cloud();
        MailConfig.Exchange exchange = config.exchange();
        String server = exchange.server().filter(host -> !host.isBlank()).orElse(cloud.exchangeServer());
        return new Endpoints(config.entra().authorityHost().orElse(cloud.authorityHost()), server,
                exchange.ewsUrl().orElseGet(() -> URI.create("https://" + server + ":" + exchange.port()
                        + "/EWS/Exchange.asmx")),
                exchange.graphUrl().orElse(cloud.graphUrl()), exchange.graphResource().orElse(cloud.graphResource()));
    }

    /** The resource EWS tokens are for: the Exchange server's origin, such as https://outlook.office365.com. */
    public String ewsResource() {
        return "https://" + exchangeServer;
    }
}
