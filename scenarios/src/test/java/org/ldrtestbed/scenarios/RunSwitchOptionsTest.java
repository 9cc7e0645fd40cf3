package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A run's switches that cannot be honoured are refused (exit 2) with the reason, before any testbed starts. */
class RunSwitchOptionsTest {

    @Test
    void anUnknownCapabilityLetterIsRefused() {
        CommandOutcome refusal = CommandOutcome.execute("run", "dot", "--disable-capability", "k");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("no flow of the catalogue serves capability 'k'");
    }

    @Test
    void anUnknownFlowIsRefused() {
        CommandOutcome refusal = CommandOutcome.execute("run", "dot", "--disable-flow", "carrier-pigeon");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("no flow 'carrier-pigeon' in the catalogue");
    }

    @Test
    void anUnknownDeploymentNameListsTheShippedOnes() {
        CommandOutcome refusal = CommandOutcome.execute("run", "dot", "--deployment", "atlantis-2030");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err())
                .contains("No deployment profile 'atlantis-2030'")
                .contains("full")
                .contains("oxfordshire-2017-07");
    }

    @Test
    void aBadProfileFileIsRefusedNamingFileLineAndField() {
        String file = "src/test/resources/bad-deployments/bad-status.deployment.yaml";
        CommandOutcome refusal = CommandOutcome.execute("run", "dot", "--deployment", file);
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains(file + ":7: capabilities.e.status:");
    }
}
