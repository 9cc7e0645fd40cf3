package org.ldrtestbed.fhirserver.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatedTimeTrustTest {

    private static final String JOURNEY_TIME = "2026-03-02T09:00:00Z";

    private final SimulatedTimeTrust trust = SimulatedTimeTrust.journeyClientOnly();

    @Test
    void theJourneyClientsTimeIsBelieved() {
        assertThat(trust.simulatedInstant("testbed-scenarios", JOURNEY_TIME)).contains(Instant.parse(JOURNEY_TIME));
    }

    @Test
    void aSuppliersOrAnyOtherClientsTimeIsIgnored() {
        assertThat(trust.simulatedInstant("gp-clinical-system", JOURNEY_TIME)).isEmpty();
        assertThat(trust.simulatedInstant("acute-integration", JOURNEY_TIME)).isEmpty();
        assertThat(trust.simulatedInstant("Testbed-Scenarios", JOURNEY_TIME)).isEmpty();
    }

    @Test
    void withoutATokenNothingIsBelieved() {
        assertThat(trust.simulatedInstant(null, JOURNEY_TIME)).isEmpty();
    }

    @Test
    void noHeaderOrOneThatIsNoInstantLeavesTheServersClock() {
        assertThat(trust.simulatedInstant("testbed-scenarios", null)).isEmpty();
        assertThat(trust.simulatedInstant("testbed-scenarios", " ")).isEmpty();
        assertThat(trust.simulatedInstant("testbed-scenarios", "yesterday")).isEmpty();
        assertThat(trust.simulatedInstant("testbed-scenarios", "2026-03-02")).isEmpty();
    }
}
