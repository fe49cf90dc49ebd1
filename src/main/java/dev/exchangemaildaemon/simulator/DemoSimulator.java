package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * In dev mode, runs the simulator with a demo tenant, so that the daemon can be tried without Microsoft 365: an
 * app for the client credentials flow, a user for the password flow, three mailboxes, sample mail in two of them.
 * It starts before the rest of the application, and leaves its certificate at {@value #CA_COPY} for the dev
 * profile's trust store.
 */
@Singleton
@IfBuildProfile("dev")
public class DemoSimulator {

    static final String TENANT_ID = "11111111-2222-3333-4444-555555555555";
    static final String CLIENT_ID = "66666666-7777-8888-9999-000000000000";
    static final String USER = "erp@contoso.com";
    static final String USER_PASSWORD = "demo-password";
    static final String CA_COPY = "target/demo/simulator-ca.pem";

    private static final System.Logger LOG = System.getLogger(DemoSimulator.class.getName());

    private final int port;
    private final String clientSecret;
    private ExchangeSimulator simulator;

    DemoSimulator(@ConfigProperty(name = "demo.simulator.port", defaultValue = "8943") int port,
                  @ConfigProperty(name = "demo.simulator.client-secret", defaultValue = "demo-secret")
                  String clientSecret) {
        this.port = port;
        this.clientSecret = clientSecret;
    }

    void start(@Observes @Priority(1) StartupEvent event) {
        simulator = ExchangeSimulator.start(port, TENANT_ID)
                .registerApp(CLIENT_ID, clientSecret)
                .registerUser(USER, USER_PASSWORD)
                .addMailbox("invoices@contoso.com")
                .addMailbox("orders@contoso.com")
                .addMailbox(USER);
        int seeded = simulator.seedSampleMessages("invoices@contoso.com").size()
                + simulator.seedSampleMessages("orders@contoso.com").size();
        Path caCopy = Path.of(CA_COPY);
        try {
            Files.createDirectories(caCopy.getParent());
            Files.copy(simulator.caCertificatePem(), caCopy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the simulator's certificate to " + caCopy, e);
        }
        LOG.log(Level.INFO, "Exchange simulator at {0} (EWS {0}/EWS/Exchange.asmx), tenant {1}: app {2},"
                        + " user {3}, mailboxes invoices@, orders@ and erp@contoso.com, {4} unread sample messages;"
                        + " certificate in {5}",
                simulator.baseUri(), TENANT_ID, CLIENT_ID, USER, seeded, caCopy.toAbsolutePath());
    }

    void stop(@Observes ShutdownEvent event) {
        if (simulator != null) {
            simulator.stop();
            LOG.log(Level.INFO, "Exchange simulator stopped");
        }
    }
}
