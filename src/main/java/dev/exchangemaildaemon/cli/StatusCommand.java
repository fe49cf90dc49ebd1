package dev.exchangemaildaemon.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Asks the running daemon, on its management port, how each mailbox fares: its readiness check (last success, last
 * error, credential expiry when the check reports one) and its metrics (the messages waiting in the Maildir's
 * {@code new/}). Runs without Quarkus, the configuration or the secrets ({@link Main} calls it directly), so any user
 * who can reach the port can ask.
 */
@Command(name = "status", description = "Shows each mailbox's last success, last error, backlog (messages waiting"
        + " in new/) and credential expiry, as the running daemon reports them on its management port.")
public class StatusCommand implements Callable<Integer> {

    private static final Pattern BACKLOG = Pattern.compile(
            "^exchange_mail_maildir_new_messages\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern MAILBOX_LABEL = Pattern.compile("(?:^|,)mailbox=\"([^\"]+)\"");

    @Option(names = "--url", paramLabel = "URL", description = "The daemon's management interface (default:"
            + " http://127.0.0.1:9000, or QUARKUS_MANAGEMENT_HOST and QUARKUS_MANAGEMENT_PORT)")
    String url = defaultUrl();

    @Option(names = "--json", description = "Print the status as JSON")
    boolean json;

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        String base = url.replaceAll("/+$", "");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode health;
        String metrics;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            health = mapper.readTree(get(http, base + "/q/health/ready"));
            metrics = get(http, base + "/q/metrics");
        } catch (IOException e) {
            err.println("Cannot ask the daemon at " + base + ": " + e.getMessage()
                    + " (is it running? --url names its management interface)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        // one series per folder delivering into a Maildir; the mailbox's backlog is their sum
        Map<String, Double> backlog = new LinkedHashMap<>();
        Matcher sample = BACKLOG.matcher(metrics);
        while (sample.find()) {
            Matcher mailbox = MAILBOX_LABEL.matcher(sample.group(1));
            if (mailbox.find()) {
                backlog.merge(mailbox.group(1), Double.parseDouble(sample.group(2)), Double::sum);
            }
        }
        ArrayNode mailboxes = mapper.createArrayNode();
        boolean allUp = true;
        for (JsonNode check : health.path("checks")) {
            if (!check.path("name").asText().startsWith("mailbox ")) {
                continue;
            }
            JsonNode data = check.path("data");
            String address = data.path("address").asText();
            ObjectNode mailbox = mailboxes.addObject().put("address", address)
                    .put("status", check.path("status").asText())
                    .put("lastSuccess", data.path("lastSuccess").asText("never"))
                    .put("backlog", backlogOf(backlog, address))
                    .put("credentialExpiry", expiry(data))
                    .put("lastError", data.path("lastError").asText(""));
            allUp &= "UP".equals(mailbox.path("status").asText());
        }
        if (json) {
            ObjectNode answer = mapper.createObjectNode().put("status", health.path("status").asText());
            answer.set("mailboxes", mailboxes);
            out.println(answer.toPrettyString());
        } else {
            printTable(out, mailboxes);
        }
        return allUp ? 0 : 1;
    }

    /** Messages waiting in new/: "-" for a mailbox without a Maildir (a command or LMTP), "?" if unreadable. */
    private static String backlogOf(Map<String, Double> backlog, String address) {
        Double waiting = backlog.get(address.toLowerCase(java.util.Locale.ROOT));
        if (waiting == null) {
            return "-";
        }
        return waiting.isNaN() ? "?" : Long.toString(waiting.longValue());
    }

    /** Whatever the check names an expiry (the credential's), if it reports one. */
    private static String expiry(JsonNode data) {
        for (Iterator<String> keys = data.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (key.toLowerCase(java.util.Locale.ROOT).contains("expir")) {
                return data.path(key).asText();
            }
        }
        return "";
    }

    private static void printTable(PrintStream out, ArrayNode mailboxes) {
        String[] columns = { "MAILBOX", "STATUS", "LAST SUCCESS", "BACKLOG", "CREDENTIAL EXPIRES", "LAST ERROR" };
        String[] fields = { "address", "status", "lastSuccess", "backlog", "credentialExpiry", "lastError" };
        List<String[]> rows = new ArrayList<>();
        rows.add(columns);
        for (JsonNode mailbox : mailboxes) {
            String[] row = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                row[i] = mailbox.path(fields[i]).asText().replace('\n', ' ');
            }
            rows.add(row);
        }
        int[] widths = new int[columns.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i < row.length - 1 ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String get(HttpClient http, String uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        // readiness answers 503 while a mailbox is DOWN, with the same body
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw new IOException(uri + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    /** Where the systemd unit and the container images put the management interface. */
    private static String defaultUrl() {
        String host = System.getenv().getOrDefault("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("QUARKUS_MANAGEMENT_PORT", "9000");
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port;
    }
}
