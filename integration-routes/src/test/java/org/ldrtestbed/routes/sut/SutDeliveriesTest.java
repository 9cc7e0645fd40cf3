package org.ldrtestbed.routes.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.contract.SystemUnderTest.Direction;

/** Which messages go to a run's system under test, and which bindings a run may not register. */
class SutDeliveriesTest {

    private static final SystemUnderTest GP = new SystemUnderTest(
            "gp-system", "discharge-summary", "SYNG09", Direction.RECEIVES, "fhir-rest", "http://gp/fhir", null);

    private record Wire(String recipient, String wire, String nhsNumber) implements WireMessage {}

    private final Map<String, RunSwitches> runs =
            Map.of("run-1", new RunSwitches(Set.of(), List.of(), Set.of(), List.of(GP)));
    private final SutDeliveries deliveries =
            new SutDeliveries(run -> Optional.ofNullable(runs.get(run)), List.of(new Named("fhir-rest")));

    @Test
    void aMessageOfTheBoundFlowForTheBoundRecipientInTheRunGoesToTheSystem() {
        Wire toSyng09 = new Wire("SYNG09", "{}", "9990000077");

        assertThat(deliveries.receiverOf("run-1", "discharge-summary", toSyng09))
                .contains(GP);
        assertThat(deliveries.receiverOf("run-2", "discharge-summary", toSyng09))
                .isEmpty();
        assertThat(deliveries.receiverOf(null, "discharge-summary", toSyng09)).isEmpty();
        assertThat(deliveries.receiverOf("run-1", "eol-pointer", toSyng09)).isEmpty();
        assertThat(deliveries.receiverOf("run-1", "discharge-summary", new Wire("SYNG01", "{}", "9990000077")))
                .isEmpty();
        // A translation that cannot say its recipient and wire form is filed as ever.
        assertThat(deliveries.receiverOf("run-1", "discharge-summary", "not a wire message"))
                .isEmpty();
    }

    @Test
    void aBindingNoRouteOrTransportCanServeIsRefusedNamingIt() {
        RunSwitches eol = new RunSwitches(
                Set.of(),
                List.of(),
                Set.of(),
                List.of(new SystemUnderTest(
                        "gp-system", "eol-pointer", "SYNG09", Direction.RECEIVES, "fhir-rest", "http://gp", null)));
        RunSwitches mllp = new RunSwitches(
                Set.of(),
                List.of(),
                Set.of(),
                List.of(new SystemUnderTest(
                        "pas", "discharge-summary", "SYNG09", Direction.RECEIVES, "mllp", "gp:2575", null)));
        RunSwitches sender = new RunSwitches(
                Set.of(),
                List.of(),
                Set.of(),
                List.of(new SystemUnderTest("pas", "adt-notification", "SYNAC", Direction.SENDS, "mllp", null, null)));

        assertThatThrownBy(() -> deliveries.check(eol, "discharge-summary"::equals))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eol-pointer")
                .hasMessageContaining("cannot deliver to a system under test");
        assertThatThrownBy(() -> deliveries.check(mllp, "discharge-summary"::equals))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over mllp")
                .hasMessageContaining("sends only over fhir-rest");
        deliveries.check(sender, "discharge-summary"::equals);
        deliveries.check(runs.get("run-1"), "discharge-summary"::equals);
    }

    /** A transport that only has a name. */
    private record Named(String name) implements SutTransport {
        @Override
        public String send(SystemUnderTest system, Outgoing message) {
            return "sent";
        }
    }
}
