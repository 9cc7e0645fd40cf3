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
        assertThat(refusal.err().strip().lines()).hasSize(1);
    }

    @Test
    void aMisspeltFlowIsRefusedWithTheNearestCode() {
        CommandOutcome refusal = CommandOutcome.execute("run", "dot", "--disable-flow", "e-referal");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("no flow 'e-referal' in the catalogue; did you mean 'e-referral'?");
        assertThat(refusal.err().strip().lines()).hasSize(1);
    }

    @Test
    void ablateOfAFlowTheJourneyDoesNotNameIsRefusedWithTheNearestOne() {
        CommandOutcome refusal = CommandOutcome.execute("ablate", "dot", "--only", "gp-sumary");
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("names no capability or flow [gp-sumary]; did you mean 'gp-summary'?");
        assertThat(refusal.out()).doesNotContain("Booting");
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
