package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A run's switches that cannot be honoured are refused (exit 2) with the reason, before any testbed starts. */
class RunSwitchOptionsTest {

    @Test
    void anUnknownCapabilityLetterIsRefused() {
        Refusal refusal = run("run", "dot", "--disable-capability", "k");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("no flow of the catalogue serves capability 'k'");
    }

    @Test
    void anUnknownFlowIsRefused() {
        Refusal refusal = run("run", "dot", "--disable-flow", "carrier-pigeon");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("no flow 'carrier-pigeon' in the catalogue");
    }

    @Test
    void anUnknownDeploymentNameListsTheShippedOnes() {
        Refusal refusal = run("run", "dot", "--deployment", "atlantis-2030");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err())
                .contains("No deployment profile 'atlantis-2030'")
                .contains("full")
                .contains("oxfordshire-2017-07");
    }

    @Test
    void aBadProfileFileIsRefusedNamingFileLineAndField() {
        String file = "src/test/resources/bad-deployments/bad-status.deployment.yaml";
        Refusal refusal = run("run", "dot", "--deployment", file);
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains(file + ":7: capabilities.e.status:");
    }

    private record Refusal(int code, String err) {}

    private static Refusal run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new TestbedCommand()).execute(args);
            return new Refusal(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
