package dev.exchangemaildaemon.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;

/**
 * The least any EWS client can take for the first sync on this machine and simulator: one token, FindItem pages of
 * 1,000 ids, and GetItem batches of 100 whose responses are received over TLS and thrown away unparsed (no XML, no
 * base64, no file, no mark-read). Runs in the harness, beside the simulator, after a warm-up pass. What it measures
 * is the simulator's work to answer plus the transfer: a floor under both the daemon and the peer.
 */
final class Floor {

    private static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
    private static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    private static final Pattern ITEM_ID = Pattern.compile("<t:ItemId Id=\"([^\"]+)\" ChangeKey=\"([^\"]+)\"");

    private final URI base;
    private final String tenant;
    private final String address;
    private final HttpClient http;
    private final URI ews;

    private Floor(URI base, String tenant, Path caPem, String address) throws Exception {
        this.base = base;
        this.tenant = tenant;
        this.address = address;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(TrustedTls.create(Optional.of(caPem))).build();
        this.ews = base.resolve("/EWS/Exchange.asmx");
    }

    /** Seconds for the whole first sync of the seeded mailbox, and the bytes received. */
    static double[] measure(ExchangeSimulator sim, String address) throws Exception {
        return new Floor(sim.baseUri(), sim.tenantId(), sim.caCertificatePem(), address).sync();
    }

    /**
     * The cold floor: the same sync once in a JVM of its own, as the daemon's first sync runs, so the JVM's start,
     * class loading, and interpreting and compiling TLS and the HTTP client count. Arguments: simulator base URI,
     * tenant id, path of the simulator's CA certificate (PEM), mailbox address. Prints {@code FLOOR seconds bytes
     * ids cpu-seconds}: the sync alone, and the whole process's CPU up to its end.
     */
    public static void main(String[] args) throws Exception {
        double[] floor = new Floor(URI.create(args[0]), args[1], Path.of(args[2]), args[3]).sync();
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf(Locale.ROOT, "FLOOR %.3f %.0f %.0f %.3f%n", floor[0], floor[1], floor[2], cpu);
    }

    private double[] sync() throws Exception {
        long start = System.nanoTime();
        String token = token();
        List<String> ids = new ArrayList<>();
        for (int offset = 0; ; offset += 1000) {
            String page = new String(post(token, findUnread(offset)).readAllBytes(), StandardCharsets.UTF_8);
            Matcher id = ITEM_ID.matcher(page);
            int before = ids.size();
            while (id.find()) {
                ids.add("<t:ItemId Id=\"" + id.group(1) + "\" ChangeKey=\"" + id.group(2) + "\"/>");
            }
            if (page.contains("IncludesLastItemInRange=\"true\"") || ids.size() == before) {
                break;
            }
        }
        long bytes = 0;
        byte[] discard = new byte[64 * 1024];
        for (int from = 0; from < ids.size(); from += 100) {
            StringBuilder body = new StringBuilder("<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
                    + "<t:IncludeMimeContent>true</t:IncludeMimeContent></m:ItemShape><m:ItemIds>");
            ids.subList(from, Math.min(from + 100, ids.size())).forEach(body::append);
            try (InputStream in = post(token, body.append("</m:ItemIds></m:GetItem>").toString())) {
                for (int n; (n = in.read(discard)) > 0; ) {
                    bytes += n;
                }
            }
        }
        return new double[] { (System.nanoTime() - start) / 1e9, bytes, ids.size() };
    }

    static String report(ExchangeSimulator sim, String address, String xmx, int coldRuns) throws Exception {
        measure(sim, address); // warms the simulator's and this client's code, as a long-running daemon would be
        double[] floor = measure(sim, address);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "Floor (any client, responses received and discarded, see Floor.java):"
                + " %.0f ids, %.1f MB received in %.2f s, %.1f MB/s%n%n", floor[2], floor[1] / 1e6, floor[0],
                floor[1] / 1e6 / floor[0]));
        if (coldRuns > 0) {
            report.append(cold(sim, address, xmx, coldRuns));
        }
        return report.toString();
    }

    /** The same floor in fresh JVMs (-Xmx as the daemon's), from process start to its end: medians of the runs. */
    private static String cold(ExchangeSimulator sim, String address, String xmx, int runs)
            throws Exception {
        Path ca = sim.caCertificatePem();
        List<Double> walls = new ArrayList<>();
        List<Double> syncs = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(Runners.java(), "-Xmx" + xmx, "-cp", Runners.absoluteClassPath(),
                    Floor.class.getName(), sim.baseUri().toString(), sim.tenantId(), ca.toString(), address)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("cold floor failed: " + output);
            }
            walls.add((System.nanoTime() - start) / 1e9);
            Matcher line = Pattern.compile("FLOOR ([0-9.]+) [0-9]+ [0-9]+ ([0-9.]+)").matcher(output);
            if (!line.find()) {
                throw new IllegalStateException("cold floor printed no result: " + output);
            }
            syncs.add(Double.parseDouble(line.group(1)));
            cpus.add(Double.parseDouble(line.group(2)));
        }
        return String.format(Locale.ROOT, "Cold floor (the same client in a JVM of its own, -Xmx%s, %d runs):"
                + " process start to end %.2f s median %s, of which the sync %.2f s; process CPU %.2f s%n%n", xmx, runs,
                median(walls), walls.stream().map(w -> String.format(Locale.ROOT, "%.2f", w)).toList(),
                median(syncs), median(cpus));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private String token() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + Runners.CLIENT_ID + "&client_secret="
                + URLEncoder.encode(Runners.CLIENT_SECRET, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("https://outlook.office365.com/.default", StandardCharsets.UTF_8);
        String answer = http.send(HttpRequest.newBuilder(base.resolve("/" + tenant
                        + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher token = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(answer);
        if (!token.find()) {
            throw new IllegalStateException("no token: " + answer);
        }
        return token.group(1);
    }

    private InputStream post(String token, String body) throws Exception {
        String envelope = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"
                + " xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:t=\"" + TYPES + "\" xmlns:m=\""
                + MESSAGES + "\"><soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/>"
                + "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>" + address
                + "</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body>" + body
                + "</soap:Body></soap:Envelope>";
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(ews)
                .header("Content-Type", "text/xml; charset=utf-8").header("Authorization", "Bearer " + token)
                .header("X-AnchorMailbox", address)
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("EWS answered " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    private static String findUnread(int offset) {
        return "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
                + "<m:IndexedPageItemView MaxEntriesReturned=\"1000\" Offset=\"" + offset + "\" BasePoint=\"Beginning\"/>"
                + "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"message:IsRead\"/>"
                + "<t:FieldURIOrConstant><t:Constant Value=\"false\"/></t:FieldURIOrConstant></t:IsEqualTo>"
                + "</m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>"
                + "</m:FindItem>";
    }
}
