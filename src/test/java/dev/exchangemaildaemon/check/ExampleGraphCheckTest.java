package dev.exchangemaildaemon.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.ExampleConfig;

/**
 * The README's first step after the app registration: `check` with deploy/config.graph.example.yaml (hosts pointed
 * at the simulator) passes for a tenant set up as the README says, and the sender and each mailbox are checked
 * over Graph; an app without the Graph permissions is told which step to revisit.
 */
class ExampleGraphCheckTest {

    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT_ID = "66666666-7777-8888-9999-000000000000";
    private static final String SECRET = "example-secret-Qw3";

    @TempDir
    Path dir;

    @Test
    void theExampleGraphConfigPassesTheCheckOnceTheGraphPermissionsAreGranted() {
        ExchangeSimulator simulator = ExchangeSimulator.start(0, TENANT).registerApp(CLIENT_ID, SECRET)
                .addMailbox("erp@contoso.com").addMailbox("invoices@contoso.com").addMailbox("orders@contoso.com");
        try {
            Path example = Path.of("deploy/config.graph.example.yaml");
            simulator.graphAppRoles(CLIENT_ID);
            CheckReport withoutPermissions = new CheckRig(ExampleConfig.load(example, simulator, dir, SECRET))
                    .check.run(Optional.empty());
            simulator.graphAppRoles(CLIENT_ID, "Mail.ReadWrite", "Mail.Send");
            CheckReport granted = new CheckRig(ExampleConfig.load(example, simulator, dir, SECRET))
                    .check.run(Optional.empty());

            assertEquals("ERROR", withoutPermissions.result());
            assertEquals(Diagnoses.STEP_MAILBOX_ACCESS, withoutPermissions.checks().get(1).step(),
                    withoutPermissions::toString);
            assertEquals("OK", granted.result(), granted::toString);
            assertEquals(4, granted.checks().size(), granted::toString); // token, sender, two mailboxes
            assertEquals(0, simulator.ewsRequests().size(), "Graph only");
        } finally {
            simulator.stop();
        }
    }
}
