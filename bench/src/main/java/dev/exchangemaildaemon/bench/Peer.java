package dev.exchangemaildaemon.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;

import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.misc.TraceFlags;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.service.ConflictResolutionMode;
import microsoft.exchange.webservices.data.core.enumeration.service.MessageDisposition;
import microsoft.exchange.webservices.data.core.enumeration.service.ServiceResult;
import microsoft.exchange.webservices.data.core.response.ServiceResponse;
import microsoft.exchange.webservices.data.core.service.item.EmailMessage;
import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.core.service.schema.EmailMessageSchema;
import microsoft.exchange.webservices.data.core.service.schema.ItemSchema;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.search.FindItemsResults;
import microsoft.exchange.webservices.data.search.ItemView;
import microsoft.exchange.webservices.data.search.filter.SearchFilter;

/**
 * The peer: the same job as the daemon's first sync, written the way the EWS Managed API for Java is commonly used.
 * App-only token from MSAL4J (client credentials), impersonation of the mailbox, then: find all unread messages
 * of the inbox with ItemView paging, load their MimeContent in batches with loadPropertiesForItems, write each as
 * an .eml file, and mark each batch read with updateItems. Trusts the simulator through the JVM's default trust
 * store ({@code -Djavax.net.ssl.trustStore}). Prints {@code DONE delivered=N bytes=B} and then waits for its
 * standard input to close, so that the harness can read its peak RSS and CPU time from /proc before it exits.
 *
 * <p>Arguments: authority ews-url client-id address out-dir page-size mime-batch update-batch [trace-file];
 * the client secret comes from the environment variable MAIL_CLIENT_SECRET.
 */
public final class Peer {

    public static void main(String[] args) throws Exception {
        String authority = args[0];
        URI ewsUrl = URI.create(args[1]);
        String clientId = args[2];
        String address = args[3];
        Path out = Files.createDirectories(Path.of(args[4]));
        int pageSize = Integer.parseInt(args[5]);
        int mimeBatch = Integer.parseInt(args[6]);
        int updateBatch = Integer.parseInt(args[7]);
        Path trace = args.length > 8 ? Path.of(args[8]) : null;

        ConfidentialClientApplication app = ConfidentialClientApplication
                .builder(clientId, ClientCredentialFactory.createFromSecret(System.getenv("MAIL_CLIENT_SECRET")))
                .authority(authority)
                .validateAuthority(false)
                .instanceDiscovery(false)
                .build();
        String token = app.acquireToken(ClientCredentialParameters
                .builder(Set.of("https://outlook.office365.com/.default")).build()).get().accessToken();

        ExchangeService service = new ExchangeService(ExchangeVersion.Exchange2010_SP2);
        service.setUrl(ewsUrl);
        service.getHttpHeaders().put("Authorization", "Bearer " + token);
        service.getHttpHeaders().put("X-AnchorMailbox", address);
        service.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, address));
        service.setTimeout(10 * 60 * 1000);
        if (trace != null) {
            OutputStream traceOut = new BufferedOutputStream(Files.newOutputStream(trace));
            service.setTraceListener((traceType, message) -> {
                try {
                    traceOut.write(("==== " + traceType + "\n" + message + "\n").getBytes(StandardCharsets.UTF_8));
                    traceOut.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            service.setTraceFlags(EnumSet.of(TraceFlags.EwsRequest, TraceFlags.EwsResponse,
                    TraceFlags.EwsRequestHttpHeaders, TraceFlags.EwsResponseHttpHeaders));
            service.setTraceEnabled(true);
        }

        // 1. Every unread message's id, page by page.
        SearchFilter unread = new SearchFilter.IsEqualTo(EmailMessageSchema.IsRead, false);
        List<Item> all = new ArrayList<>();
        int offset = 0;
        while (true) {
            ItemView view = new ItemView(pageSize, offset);
            view.setPropertySet(new PropertySet(BasePropertySet.IdOnly));
            FindItemsResults<Item> page = service.findItems(WellKnownFolderName.Inbox, unread, view);
            all.addAll(page.getItems());
            if (!page.isMoreAvailable() || page.getNextPageOffset() == null) {
                break;
            }
            offset = page.getNextPageOffset();
        }

        // 2. MIME in batches, one .eml file each; 3. mark each batch read.
        PropertySet mime = new PropertySet(BasePropertySet.IdOnly, ItemSchema.MimeContent);
        long bytes = 0;
        int delivered = 0;
        List<Item> toMark = new ArrayList<>();
        for (int from = 0; from < all.size(); from += mimeBatch) {
            List<Item> batch = new ArrayList<>(all.subList(from, Math.min(all.size(), from + mimeBatch)));
            check(service.loadPropertiesForItems(batch, mime), "GetItem");
            for (Item item : batch) {
                byte[] content = item.getMimeContent().getContent();
                Files.write(out.resolve(delivered + ".eml"), content, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                bytes += content.length;
                delivered++;
                ((EmailMessage) item).setIsRead(true);
                toMark.add(item);
                if (toMark.size() == updateBatch) {
                    markRead(service, toMark);
                }
            }
            // drop the loaded MIME of this batch
            all.subList(from, Math.min(all.size(), from + mimeBatch)).replaceAll(item -> null);
        }
        if (!toMark.isEmpty()) {
            markRead(service, toMark);
        }
        System.out.println("DONE delivered=" + delivered + " bytes=" + bytes);
        System.out.flush();
        while (System.in.read() >= 0) {
            // the harness closes our stdin once it has read /proc
        }
        System.exit(0);
    }

    private static void markRead(ExchangeService service, List<Item> items) throws Exception {
        check(service.updateItems(new ArrayList<>(items), null, ConflictResolutionMode.AutoResolve,
                MessageDisposition.SaveOnly, null), "UpdateItem");
        items.clear();
    }

    private static void check(Iterable<? extends ServiceResponse> responses, String operation) {
        for (ServiceResponse response : responses) {
            if (response.getResult() != ServiceResult.Success) {
                throw new IllegalStateException(operation + " failed: " + response.getErrorCode() + " "
                        + response.getErrorMessage());
            }
        }
    }
}
