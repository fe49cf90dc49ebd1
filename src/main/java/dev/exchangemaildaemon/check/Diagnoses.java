package dev.exchangemaildaemon.check;

import java.util.Map;

import dev.exchangemaildaemon.auth.AppCertificate;
import dev.exchangemaildaemon.auth.FederatedToken;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.OutboundProxy;

/**
 * The table from failure to setup step and advice: every Entra ID and EWS code an admin meets while setting
 * the daemon up. A code not in the table still comes back whole, with its message.
 */
public final class Diagnoses {

    public static final String STEP_TENANT = "App registration: Directory (tenant) ID";
    public static final String STEP_CLIENT = "App registration: Application (client) ID";
    public static final String STEP_SECRET = "Certificates & secrets: client secret";
    public static final String STEP_CERTIFICATE = "Certificates & secrets: certificate";
    public static final String STEP_CERTIFICATE_FILES = "Configuration: certificate and private key files";
    public static final String STEP_CLOCK = "Host: system clock";
    public static final String STEP_FEDERATED = "Certificates & secrets: federated credential";
    public static final String STEP_CONSENT = "API permissions: permission and admin consent";
    public static final String STEP_PUBLIC_CLIENT = "Authentication: allow public client flows";
    public static final String STEP_ACCOUNT = "User account";
    public static final String STEP_MAILBOX_ACCESS = "Exchange: mailbox access for the app";
    public static final String STEP_EWS_ACCESS = "Exchange: EWS access (propagation, EWS enabled, allow list)";
    public static final String STEP_EWS_BLOCKED = "Exchange: EWS blocked for this tenant or app";

    /** The check's own code: EWS answers 403 while Microsoft Graph opens the same folder with the same app. */
    public static final String EWS_BLOCKED = "EWS_BLOCKED";
    public static final String STEP_ADDRESS = "Configuration: mailbox address";
    public static final String STEP_FOLDER = "Configuration: folder";
    public static final String STEP_SENDER = "Configuration: sender";
    public static final String STEP_RECIPIENT = "Test send: recipient";
    public static final String STEP_SERVER = "Configuration: Exchange server";
    public static final String STEP_NETWORK = "Network: Entra ID and Exchange reachable";
    public static final String STEP_TLS = "Network: TLS trust";
    public static final String STEP_PROXY = "Network: proxy";
    public static final String STEP_THROTTLING = "Exchange: throttling";
    public static final String STEP_UNKNOWN = "Unknown: look the code up in Microsoft's documentation";

    private record Advice(String step, String hint, int httpStatus) {
    }

    private static final String NEW_SETUPS = " For new setups, prefer auth-flow: client-secret.";

    private static final Map<String, Advice> TABLE = Map.ofEntries(
            upstream("AADSTS7000215", STEP_SECRET, "The client secret is wrong. Copy the secret's Value (shown only when"
                    + " it is created), not its Secret ID, into mail.entra.client-secret; if the Value is lost, create"
                    + " a new secret."),
            upstream("AADSTS7000222", STEP_SECRET, "The client secret has expired. Create a new one under Certificates &"
                    + " secrets and put its Value into mail.entra.client-secret."),
            upstream("AADSTS700027", STEP_CERTIFICATE, "Entra ID does not know the certificate that signed the request."
                    + " Upload the certificate's public part (the PEM or .cer file, never the key) under Certificates &"
                    + " secrets > Certificates of this app registration, and compare its thumbprint there with the"
                    + " certificate in mail.entra.certificate or mail.entra.certificate-store; a renewed certificate"
                    + " must be uploaded too."),
            upstream("AADSTS700024", STEP_CLOCK, "The signed request is outside its valid time: this host's clock is"
                    + " off by more than a few minutes. Synchronise it (NTP: timedatectl set-ntp true, or chrony) and"
                    + " check the time zone setting; for workload identity the projected token may have expired."),
            Map.entry(AppCertificate.UNREADABLE, new Advice(STEP_CERTIFICATE_FILES, "The certificate or key file cannot"
                    + " be read. Check the path and that the daemon's user may read it; the certificate is PEM"
                    + " ('BEGIN CERTIFICATE'), the key an unencrypted PKCS#8 PEM ('BEGIN PRIVATE KEY'), or both in a"
                    + " PKCS#12 file with mail.entra.certificate-store-password.", 500)),
            Map.entry(AppCertificate.KEY_MISMATCH, new Advice(STEP_CERTIFICATE_FILES, "The private key is not the"
                    + " certificate's. Configure the key generated together with this certificate (compare: openssl"
                    + " x509 -noout -modulus -in cert.pem and openssl rsa -noout -modulus -in key.pem).", 500)),
            upstream("AADSTS70021", STEP_FEDERATED, "No federated credential of the app matches the presented token."
                    + " Under Certificates & secrets > Federated credentials add one for Kubernetes: the cluster's"
                    + " OIDC issuer URL, subject system:serviceaccount:<namespace>:<service account>, audience"
                    + " api://AzureADTokenExchange."),
            upstream("AADSTS700211", STEP_FEDERATED, "The token's issuer matches no federated credential of the app. Set"
                    + " the credential's issuer to the cluster's OIDC issuer URL (az aks show --query"
                    + " oidcIssuerProfile.issuerUrl), exactly, with its trailing slash."),
            upstream("AADSTS700212", STEP_FEDERATED, "The token's audience matches no federated credential of the app."
                    + " The credential and the projected token both use api://AzureADTokenExchange."),
            upstream("AADSTS700213", STEP_FEDERATED, "The token's subject matches no federated credential of the app."
                    + " Set the credential's subject to system:serviceaccount:<namespace>:<service account> of the"
                    + " daemon's pod (case-sensitive)."),
            Map.entry(FederatedToken.UNREADABLE, new Advice(STEP_FEDERATED, "The projected service account token"
                    + " cannot be read. Label the pod azure.workload.identity/use: \"true\" and give it the service"
                    + " account annotated with azure.workload.identity/client-id, or set"
                    + " mail.entra.federated-token-file.", 500)),
            upstream("AADSTS700016", STEP_CLIENT, "No app with this client ID in this tenant. Compare mail.entra.client-id"
                    + " and mail.entra.tenant-id with the app registration's Overview page."),
            upstream("AADSTS90002", STEP_TENANT, "Tenant not found. Copy the Directory (tenant) ID from the app"
                    + " registration's Overview into mail.entra.tenant-id; for a national cloud set"
                    + " mail.entra.cloud."),
            upstream("AADSTS900023", STEP_TENANT, "The tenant ID is malformed. It is a GUID (or the tenant's domain):"
                    + " copy the Directory (tenant) ID from the Overview into mail.entra.tenant-id."),
            upstream("AADSTS50126", STEP_ACCOUNT, "Wrong user name or password. Check the mailbox's username and password"
                    + " (mail.incoming.mailboxes[].username/password, or mail.send.username/password)."),
            upstream("AADSTS50076", STEP_ACCOUNT, "The account requires multi-factor authentication, which user"
                    + " name/password sign-in cannot do. Use auth-flow: client-secret, or exclude this account from"
                    + " MFA and Conditional Access."),
            upstream("AADSTS50079", STEP_ACCOUNT, "The account must register for multi-factor authentication, which user"
                    + " name/password sign-in cannot do. Use auth-flow: client-secret, or exclude this account from"
                    + " MFA."),
            upstream("AADSTS65001", STEP_CONSENT, "Admin consent is missing. In API permissions, add the Office 365"
                    + " Exchange Online permission (application: full_access_as_app; delegated:"
                    + " EWS.AccessAsUser.All) and click Grant admin consent."),
            upstream("AADSTS7000218", STEP_PUBLIC_CLIENT, "User name/password sign-in needs 'Allow public client flows'"
                    + " set to Yes on the app's Authentication page." + NEW_SETUPS),
            upstream("AADSTS50034", STEP_ACCOUNT, "No such user in this tenant. Check the user name: it is the user"
                    + " principal name, usually the primary email address."),
            upstream("AADSTS50053", STEP_ACCOUNT, "The account is locked after too many failed sign-ins. Wait, or unlock"
                    + " it in Entra ID, and check the configured password."),
            upstream("AADSTS50057", STEP_ACCOUNT, "The account is disabled. Enable it in Entra ID (Users) or use"
                    + " another account."),
            upstream("AADSTS50055", STEP_ACCOUNT, "The account's password has expired. Set a new one and put it into"
                    + " the configuration, or exempt this account from password expiry (Set-MgUser -UserId <upn>"
                    + " -PasswordPolicies DisablePasswordExpiration)." + NEW_SETUPS),
            upstream("AADSTS53003", STEP_ACCOUNT, "A Conditional Access policy blocks this sign-in (a location, device or"
                    + " MFA rule). Exclude the account, or for an app the service principal (Conditional Access for"
                    + " workload identities), from that policy, or allow this host's public IP address."),
            upstream("AADSTS7000112", STEP_CLIENT, "The application is disabled in this tenant. Under Enterprise"
                    + " applications, open the app, set Properties > Enabled for users to sign in to Yes, or check"
                    + " mail.entra.client-id."),
            upstream("AADSTS500011", STEP_SERVER, "Entra ID does not know the resource the token is asked for in this"
                    + " tenant: https://<mail.exchange.server> for EWS (for Exchange Online outlook.office365.com),"
                    + " mail.exchange.graph-resource for Graph (https://graph.microsoft.com; not the host of"
                    + " graph-url). Check the tenant has Exchange Online."),
            Map.entry("UNREACHABLE", new Advice(STEP_NETWORK, "Entra ID cannot be reached. Check DNS,"
                    + " the firewall and any proxy between this host and mail.entra.authority-host.", 504)),
            Map.entry(OutboundProxy.UNREACHABLE, new Advice(STEP_PROXY, "The proxy itself cannot be reached. Check"
                    + " the host and port in mail.proxy.url (or HTTPS_PROXY), that the proxy runs, and the firewall"
                    + " between this host and the proxy.", 504)),
            Map.entry(OutboundProxy.REFUSED, new Advice(STEP_PROXY, "The proxy refused to open the tunnel. With"
                    + " status 407 or 401 it wants other credentials: check mail.proxy.user and mail.proxy.password."
                    + " With 403 it does not allow the host or port: allow CONNECT to port 443 of Entra ID, Exchange"
                    + " and Graph, or list the host in mail.proxy.no-proxy if it is reached directly.", 502)),
            Map.entry("TLS", new Advice(STEP_TLS, "The server's TLS certificate is not trusted. If a proxy"
                    + " inspects TLS, put its CA certificate in a PEM file and set mail.exchange.trust-store to it.",
                    502)),
            upstream("HTTP 401", STEP_CONSENT, "Exchange refused the token: the permission is missing or not consented."
                    + " For EWS add the Office 365 Exchange Online permission (application: full_access_as_app for"
                    + " client-secret; delegated: EWS.AccessAsUser.All for username-password); for Graph the Microsoft"
                    + " Graph permissions Mail.ReadWrite and Mail.Send; then grant admin consent."),
            upstream("InvalidAuthenticationToken", STEP_CONSENT, "Microsoft Graph refused the token. Check that"
                    + " mail.exchange.api is graph with the Microsoft Graph permissions Mail.ReadWrite and Mail.Send"
                    + " (application or delegated) consented, and that mail.exchange.graph-url belongs to the same"
                    + " cloud as mail.entra.authority-host."),
            upstream("Authorization_RequestDenied", STEP_CONSENT, "The app lacks a Microsoft Graph permission. Add"
                    + " Mail.ReadWrite and Mail.Send (application permissions for client-secret, delegated for"
                    + " username-password) and grant admin consent."),
            upstream("ErrorInvalidUser", STEP_ADDRESS, "No user has this address. Use the mailbox's primary SMTP"
                    + " address in mail.incoming.mailboxes[].address (or mail.send.sender)."),
            upstream("ResourceNotFound", STEP_ADDRESS, "Microsoft Graph found no such user or mailbox. Check the"
                    + " address in mail.incoming.mailboxes[].address (or mail.send.sender)."),
            upstream("MailboxNotEnabledForRESTAPI", STEP_ADDRESS, "This user has no Exchange Online mailbox that"
                    + " Graph can reach: no licence, an on-premises or inactive mailbox, or a guest. Use a licensed"
                    + " Exchange Online mailbox, or EWS for Exchange Server on-premises."),
            Map.entry("ApplicationThrottled", new Advice(STEP_THROTTLING, "Microsoft Graph is throttling this app."
                    + " The daemon backs off on its own; try again after the Retry-After time.", 503)),
            upstream("HTTP 403", STEP_EWS_ACCESS, "Exchange refused access. Right after setup this is permission"
                    + " propagation: retry in a few minutes (up to an hour). If it stays, EWS is off for the tenant or"
                    + " the app is not allowed: since 2026-10-01 Exchange Online blocks EWS unless"
                    + " 'Set-OrganizationConfig -EwsEnabled $true' and"
                    + " 'Set-OrganizationConfig -EwsAllowedAppIDs @{Add=\"<client id>\"}' are set, and it ends EWS on"
                    + " 2027-04-01 (Exchange Server on-premises keeps it). Or use mail.exchange.api: graph with the"
                    + " Microsoft Graph permissions Mail.ReadWrite and Mail.Send; once the app has them, the check"
                    + " tells a blocked EWS apart."),
            upstream(EWS_BLOCKED, STEP_EWS_BLOCKED, "EWS refuses this app while Microsoft Graph opens the same"
                    + " mailbox with it: the permissions are in place and Exchange Online blocks EWS for the tenant or"
                    + " this app. Either switch to mail.exchange.api: graph (recommended; EWS in Exchange Online ends"
                    + " 2027-04-01), or allow the app in Exchange Online PowerShell:"
                    + " 'Set-OrganizationConfig -EwsEnabled $true' and"
                    + " 'Set-OrganizationConfig -EwsAllowedAppIDs @{Add=\"<client id>\"}' (up to 24 hours to take"
                    + " effect)."),
            upstream("ErrorImpersonateUserDenied", STEP_MAILBOX_ACCESS, "The app may not open this mailbox. An"
                    + " application access policy or an RBAC for Applications scope excludes it (check with"
                    + " Test-ApplicationAccessPolicy or Test-ServicePrincipalAuthorization); a user token cannot"
                    + " open another user's mailbox."),
            upstream("ErrorAccessDenied", STEP_MAILBOX_ACCESS, "Access to this mailbox or folder was denied. An"
                    + " application access policy or RBAC for Applications scope may exclude the mailbox; with"
                    + " Microsoft Graph, also check that Mail.ReadWrite and Mail.Send are granted with admin consent"
                    + " (right after granting, wait a few minutes)."),
            upstream("ErrorInvalidExchangeImpersonationHeaderData", STEP_MAILBOX_ACCESS, "Exchange refused the"
                    + " impersonation of this mailbox: check the address and the app's mailbox access."),
            upstream("ErrorNonExistentMailbox", STEP_ADDRESS, "No mailbox has this address. Use the mailbox's primary SMTP"
                    + " address in mail.incoming.mailboxes[].address (or mail.send.sender)."),
            upstream("ErrorFolderNotFound", STEP_FOLDER, "No folder with this name. mail.incoming.mailboxes[].folder is a"
                    + " well-known folder (inbox, junkemail) or a path of display names from the mailbox root or a"
                    + " well-known folder (Invoices/Incoming, Inbox/Orders; a / inside a display name is written \\/)."),
            upstream("ErrorSendAsDenied", STEP_SENDER, "The account may not send as this address. Send from the mailbox's"
                    + " own address (mail.send.sender) or grant Send As on it."),
            Map.entry("ErrorMailRecipientNotFound", new Advice(STEP_RECIPIENT, "The recipient was not"
                    + " found. Check the address.", 422)),
            Map.entry("ErrorInvalidRecipients", new Advice(STEP_RECIPIENT, "The recipient address is not"
                    + " valid. Check the address.", 422)),
            Map.entry("ErrorServerBusy", new Advice(STEP_THROTTLING, "Exchange Online is throttling this"
                    + " app. The daemon backs off on its own; try again after the back-off.", 503)),
            Map.entry("CONNECTION", new Advice(STEP_SERVER, "The EWS server cannot be reached. Check"
                    + " mail.exchange.server, mail.exchange.port or mail.exchange.ews-url, DNS and the firewall.", 504)),
            Map.entry("TIMEOUT", new Advice(STEP_SERVER, "The EWS server did not answer within"
                    + " mail.exchange.request-timeout. Check the server address and the network.", 504)));

    private Diagnoses() {
    }

    private static Map.Entry<String, Advice> upstream(String code, String step, String hint) {
        return Map.entry(code, new Advice(step, hint, 502));
    }

    public static Diagnosis of(TokenException e) {
        return of(e.errorCode().orElse("TOKEN"), e.getMessage());
    }

    public static Diagnosis of(MailboxException e) {
        return of(e.code(), e.detail());
    }

    public static Diagnosis of(String code, String message) {
        Advice advice = TABLE.get(code);
        if (advice == null) {
            return new Diagnosis(code, STEP_UNKNOWN, message, "Not a failure this daemon knows; the code and message"
                    + " above are Microsoft's own.", 502);
        }
        return new Diagnosis(code, advice.step(), message, advice.hint(), advice.httpStatus());
    }

    /** The codes the table knows, for the README and its test. */
    public static java.util.Set<String> knownCodes() {
        return TABLE.keySet();
    }
}
