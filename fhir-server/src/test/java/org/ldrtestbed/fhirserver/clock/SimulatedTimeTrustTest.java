package org.ldrtestbed.fhirserver.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void noHeaderLeavesTheServersClock() {
        assertThat(trust.simulatedInstant("testbed-scenarios", null)).isEmpty();
        assertThat(trust.simulatedInstant("testbed-scenarios", " ")).isEmpty();
    }

    @Test
    void aJourneyClientsValueThatIsNoInstantIsRefusedNamingIt() {
        assertThatThrownBy(() -> trust.simulatedInstant("testbed-scenarios", "yesterday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yesterday' is not an ISO-8601 instant");
        assertThatThrownBy(() -> trust.simulatedInstant("testbed-scenarios", "2026-03-02"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInstantNoRecordCouldStampIsRefused() {
        // Date.from fails for the first; PostgreSQL's timestamps and HL7v2 times for instants far out.
        assertThatThrownBy(() -> trust.simulatedInstant("testbed-scenarios", "+300000000-01-01T00:00:00Z"))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> trust.simulatedInstant("testbed-scenarios", "1899-12-31T23:59:59Z"))
                .hasMessageContaining("outside");
        assertThat(trust.simulatedInstant("testbed-scenarios", "2199-12-31T23:59:59Z"))
                .isPresent();
    }

    @Test
    void anotherClientsGarbageIsIgnoredNotRefused() {
        assertThat(trust.simulatedInstant("gp-clinical-system", "yesterday")).isEmpty();
    }
}
