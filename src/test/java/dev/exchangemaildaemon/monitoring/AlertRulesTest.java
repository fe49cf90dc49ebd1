package dev.exchangemaildaemon.monitoring;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.MISSING;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.exchangemaildaemon.outgoing.OutgoingChannel;
import dev.exchangemaildaemon.outgoing.OutgoingStatus;
import dev.exchangemaildaemon.polling.Poller;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The shipped alert rules and dashboard against what a running daemon exports: its /q/metrics, scraped after
 * polling a working mailbox, a throttled one and a broken one ({@link SimulatorResource#MISSING}), become the
 * input of {@code promtool test rules} (from Debian's {@code prometheus} package; .ci/run installs it).
 */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
// the secret's end date configured, so that the credential expiry gauge the rules name is exported
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "client-secret-expires", value = "2030-01-01"))
class AlertRulesTest {

    static final Path RULES = Path.of("deploy/prometheus/exchange-mail-daemon.rules.yaml");
    static final Path DASHBOARD = Path.of("deploy/grafana/exchange-mail-daemon.dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bexchange_mail_[a-z_]+");
    private static final Pattern SAMPLE = Pattern.compile("^(exchange_mail_[a-z_]+)(\\{[^}]*})? (\\S+)$");

    ExchangeSimulator simulator;

    @Inject
    Poller poller;
    /** Its meters exist once the outgoing mail is in use; the tests use it here as if it were. */
    @Inject
    OutgoingStatus outgoing;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Test
    void theShippedAlertsFireOnTheMetricsOfABrokenMailbox(@TempDir Path dir) throws Exception {
        String scrape = scrapeAfterPolls();
        Map<String, Double> newMessages = values(scrape, "exchange_mail_maildir_new_messages{folder=\"inbox\",");
        assertTrue(newMessages.get(ORDERS) > 0 && newMessages.get(INVOICES) > 0, newMessages::toString);
        assertEquals(0.0, newMessages.get(MISSING));

        // 70 minutes of the same scrape, every minute: the daemon as it stands, with nobody reading its Maildirs
        List<Map<String, String>> series = new ArrayList<>();
        for (String line : scrape.lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches() && !sample.group(3).equals("NaN")) {
                String labels = sample.group(2) == null ? "{" : sample.group(2).replaceFirst(",?}$", ",");
                series.add(Map.of("series", sample.group(1) + labels + "job=\"exchange-mail-daemon\",instance=\"d:9000\"}",
                        "values", sample.group(3) + "x70"));
            }
        }
        List<Object> alerts = List.of(
                expect("14m", "ExchangeMailMailboxNeverPolled", Map.of()),
                expect("16m", "ExchangeMailMailboxNeverPolled", Map.of(MISSING, "0")),
                expect("65m", "ExchangeMailMailboxStale", Map.of()),
                // nobody reads the test's Maildirs: after an hour, those holding mail are reported
                expect("65m", "ExchangeMailMaildirNotRead", Map.of(
                        INVOICES, String.format("%.0f", newMessages.get(INVOICES)),
                        ORDERS, String.format("%.0f", newMessages.get(ORDERS))), Map.of("folder", "inbox")),
                expect("65m", "ExchangeMailMessagesSetAside", Map.of()),
                expect("65m", "ExchangeMailPollsFallingBehind", Map.of()),
                expect("65m", "ExchangeMailOutgoingRefused", Map.of()));
        Map<String, Object> test = Map.of("rule_files", List.of(RULES.toAbsolutePath().toString()),
                "evaluation_interval", "1m",
                "tests", List.of(Map.of("interval", "1m", "input_series", series, "alert_rule_test", alerts)));
        Path testFile = dir.resolve("broken-mailbox.test.yaml");
        Files.writeString(testFile, new ObjectMapper().writeValueAsString(test)); // JSON is YAML

        Process promtool = new ProcessBuilder("promtool", "test", "rules", testFile.toString())
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, promtool.exitValue(), () -> output + "\non\n" + scrape);
    }

    @Test
    void theDashboardAndTheRulesNameOnlyMetricsTheDaemonExports() throws Exception {
        Set<String> exported = new TreeSet<>();
        for (String line : scrapeAfterPolls().lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                exported.add(sample.group(1));
            }
        }
        for (Path file : List.of(DASHBOARD, RULES)) {
            Set<String> named = new TreeSet<>();
            METRIC.matcher(Files.readString(file)).results().forEach(name -> named.add(name.group()));
            named.removeAll(exported);
            assertTrue(named.isEmpty(), () -> file + " names " + named + ", which the daemon does not export: " + exported);
        }
        // the dashboard parses, and every panel queries something
        Map<?, ?> dashboard = new ObjectMapper().readValue(DASHBOARD.toFile(), Map.class);
        for (Object panel : (List<?>) dashboard.get("panels")) {
            assertTrue(!((List<?>) ((Map<?, ?>) panel).get("targets")).isEmpty(), panel::toString);
        }
    }

    /** One poll of each mailbox: orders works, invoices is throttled once (a retry), nobody@ does not exist. */
    private String scrapeAfterPolls() {
        outgoing.snapshot(OutgoingChannel.SMTP);
        simulator.deliver(ORDERS, "inbox", TestMessages.plain(ORDERS, "alerts"), false);
        simulator.deliver(INVOICES, "inbox", TestMessages.plain(INVOICES, "alerts"), false);
        poller.pollNow(ORDERS);
        simulator.throttle(INVOICES, 1, 10);
        poller.pollNow(INVOICES);
        poller.pollNow(MISSING);
        return given().port(managementPort).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of a metric for each mailbox in a scrape.
     *
     * @param series the metric's name, {@code {} and the labels before {@code mailbox}, if any
     */
    private static Map<String, Double> values(String scrape, String series) {
        String start = series.contains("{") ? series : series + "{";
        Map<String, Double> values = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^" + Pattern.quote(start) + "mailbox=\"([^\"]+)\"} (\\S+)$",
                Pattern.MULTILINE);
        line.matcher(scrape).results().forEach(m -> values.put(m.group(1), Double.parseDouble(m.group(2))));
        return values;
    }

    /**
     * An alert_rule_test entry: the alert firing at that time for exactly these mailboxes, as the rules word it.
     *
     * @param values each mailbox's alert value, as the annotations print it
     */
    private static Map<String, Object> expect(String at, String alert, Map<String, String> values)
            throws IOException {
        return expect(at, alert, values, Map.of());
    }

    /** The same, for an alert on series that carry these labels beside the mailbox. */
    private static Map<String, Object> expect(String at, String alert, Map<String, String> values,
            Map<String, String> seriesLabels) throws IOException {
        Map<String, Object> rule = rule(alert);
        List<Object> firing = new ArrayList<>();
        for (var entry : new java.util.TreeMap<>(values).entrySet()) {
            String mailbox = entry.getKey();
            Map<String, String> labels = new LinkedHashMap<>(Map.of("job", "exchange-mail-daemon",
                    "instance", "d:9000", "mailbox", mailbox));
            labels.putAll(seriesLabels);
            @SuppressWarnings("unchecked")
            Map<String, String> ruleLabels = (Map<String, String>) rule.get("labels");
            labels.putAll(ruleLabels);
            Map<String, String> annotations = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, String> templates = (Map<String, String>) rule.get("annotations");
            templates.forEach((key, template) -> {
                String text = template.replace("{{ $labels.mailbox }}", mailbox).replace("{{ $value }}", entry.getValue());
                for (var label : seriesLabels.entrySet()) {
                    text = text.replace("{{ $labels." + label.getKey() + " }}", label.getValue());
                }
                annotations.put(key, text);
            });
            firing.add(Map.of("exp_labels", labels, "exp_annotations", annotations));
        }
        return Map.of("eval_time", at, "alertname", alert, "exp_alerts", firing);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rule(String alert) throws IOException {
        try (InputStream in = Files.newInputStream(RULES)) {
            Map<String, Object> file = new Yaml().load(in);
            for (Object group : (List<Object>) file.get("groups")) {
                for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                    if (alert.equals(((Map<String, Object>) rule).get("alert"))) {
                        return (Map<String, Object>) rule;
                    }
                }
            }
        }
        throw new AssertionError(alert + " is not in " + RULES);
    }
}
