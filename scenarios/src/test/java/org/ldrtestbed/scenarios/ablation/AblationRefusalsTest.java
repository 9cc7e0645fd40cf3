package org.ldrtestbed.scenarios.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.ablation.Ablation.Kind;
import org.ldrtestbed.scenarios.ablation.Ablation.Switch;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyLoader;

/** Writes a journey expects refused are assertions to ablation too. */
class AblationRefusalsTest {

    private static final FlowCatalogue FLOWS = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private static final Journey JOURNEY =
            new JourneyLoader(FLOWS).load(Path.of("src/test/resources/engine-fixtures/change.journey.yaml"));

    @Test
    void aFlowsRefusalIsSwitchedAndMustFailWithItsFlowOff() {
        assertThat(new Ablation(FLOWS).switches(JOURNEY))
                .contains(new Switch(Kind.CAPABILITY, "h"), new Switch(Kind.FLOW, "eol-pointer"));
        assertThat(Ablation.tagged(JOURNEY, new Switch(Kind.FLOW, "eol-pointer")))
                .containsExactly("change-eol-plan-needs-author");
        assertThat(Ablation.tagged(JOURNEY, new Switch(Kind.CAPABILITY, "h")))
                .containsExactly("change-eol-plan-needs-author");
    }

    @Test
    void thePolicysRefusalIsANegativeNoSwitchCanFail() {
        for (Switch off : new Ablation(FLOWS).switches(JOURNEY)) {
            assertThat(Ablation.tagged(JOURNEY, off)).doesNotContain("change-gp-may-not-amend-visit");
        }
    }
}
