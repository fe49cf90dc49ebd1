package dev.exchangemaildaemon.config;

import java.net.URI;

/**
 * The Microsoft clouds, each with its own Entra ID, Exchange Online and Microsoft Graph hosts (Microsoft's
 * "Microsoft Graph national cloud deployments" and the Office 365 endpoints of GCC High, DoD and 21Vianet). An app
 * registered in one cloud gets no token from another, so one key, {@code mail.entra.cloud}, sets them all.
 */
public enum Cloud {
    /** Microsoft's global service (also GCC, which uses the global endpoints). */
    GLOBAL("https://login.microsoftonline.com", "outlook.office365.com", "https://graph.microsoft.com"),
    /** Microsoft 365 for US Government GCC High. */
    USGOV("https://login.microsoftonline.us", "outlook.office365.us", "https://graph.microsoft.us"),
    /** Microsoft 365 for US Government DoD. */
    USGOV_DOD("https://login.microsoftonline.us", "webmail.apps.mil", "https://dod-graph.microsoft.us"),
    /** Microsoft 365 operated by 21Vianet in China. */
    CHINA("https://login.chinacloudapi.cn", "partner.outlook.cn", "https://microsoftgraph.chinacloudapi.cn");

    private final URI authorityHost;
    private final String exchangeServer;
    private final URI graphResource;

    Cloud(String authorityHost, String exchangeServer, String graphResource) {
        this.authorityHost = URI.create(authorityHost);
        this.exchangeServer = exchangeServer;
        this.graphResource = URI.create(graphResource);
    }

    /** Entra ID's host, where tokens come from. */
    public URI authorityHost() {
        return authorityHost;
    }

    /** Exchange Online's host: the EWS endpoint and, as {@code https://{host}}, the EWS token resource. */
    public String exchangeServer() {
        return exchangeServer;
    }

    /** Microsoft Graph's identifier, the audience of its tokens. */
    public URI graphResource() {
        return graphResource;
    }

    /** Microsoft Graph's v1.0 endpoint. */
    public URI graphUrl() {
        return URI.create(graphResource + "/v1.0");
    }
}
