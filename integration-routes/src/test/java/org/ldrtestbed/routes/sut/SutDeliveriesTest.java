package org.ldrtestbed.routes.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.contract.SystemUnderTest.Direction;

/** Which messages go to a run's system under test, and which bindings a run may not register. */
class SutDeliveriesTest {

    /** The routes as the discharge route answers: its document goes to a system under test by FHIR REST only. */
    private static final BiPredicate<String, String> DISCHARGE_OVER_FHIR_REST =
            (flow, transport) -> flow.equals("discharge-summary") && transport.equals("fhir-rest");

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

        assertThatThrownBy(() -> deliveries.check(eol, DISCHARGE_OVER_FHIR_REST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eol-pointer")
                .hasMessageContaining("cannot deliver to a system under test");
        assertThatThrownBy(() -> deliveries.check(mllp, DISCHARGE_OVER_FHIR_REST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over mllp")
                .hasMessageContaining("sends only over fhir-rest");
        deliveries.check(sender, DISCHARGE_OVER_FHIR_REST);
        deliveries.check(runs.get("run-1"), DISCHARGE_OVER_FHIR_REST);
    }

    @Test
    void aBindingOverATransportTheFlowDoesNotTravelIsRefused() {
        SutDeliveries both = new SutDeliveries(
                run -> Optional.empty(), List.of(new Named("fhir-rest"), new Named("process-message")));
        RunSwitches messaging = new RunSwitches(
                Set.of(),
                List.of(),
                Set.of(),
                List.of(new SystemUnderTest(
                        "gp-system",
                        "discharge-summary",
                        "SYNG09",
                        Direction.RECEIVES,
                        "process-message",
                        "http://gp/fhir",
                        null)));

        assertThatThrownBy(() -> both.check(messaging, DISCHARGE_OVER_FHIR_REST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot deliver to a system under test over process-message");
        both.check(messaging, (flow, transport) -> true);
    }

    /** A transport that only has a name. */
    private record Named(String name) implements SutTransport {
        @Override
        public String send(SystemUnderTest system, Outgoing message) {
            return "sent";
        }
    }

    @Test
    void aMessageOnceSentToAnEndedRunsSystemIsKnownSoItIsNotFiledInTheRecordInstead() {
        List<SutExchange> kept = new java.util.ArrayList<>();
        SutExchanges log = new SutExchanges() {
            @Override
            public SutExchange record(SutExchange exchange) {
                kept.add(exchange);
                return exchange;
            }

            @Override
            public List<SutExchange> ofRun(String run, long afterSequence) {
                return kept.stream().filter(e -> run.equals(e.run())).toList();
            }
        };
        Map<String, RunSwitches> live = new java.util.HashMap<>();
        SutDeliveries deliveries =
                new SutDeliveries(run -> Optional.ofNullable(live.get(run)), List.of(new Named("fhir-rest")), log);
        kept.add(new SutExchange(
                1,
                "run-9",
                "gp-system",
                "discharge-summary",
                "msg-9",
                SutExchange.TO_SUT,
                "fhir-rest",
                "http://gp/fhir/Bundle",
                "9990000077",
                "{}",
                null,
                null,
                null,
                "timeout",
                null));
        live.put("run-9", new RunSwitches(Set.of(), List.of(), Set.of()));

        assertThat(deliveries.sentToAnEndedRunsSystem("run-9", "msg-9"))
                .as("its run still live")
                .isFalse();
        live.remove("run-9");
        assertThat(deliveries.sentToAnEndedRunsSystem("run-9", "msg-9")).isTrue();
        assertThat(deliveries.sentToAnEndedRunsSystem("run-9", "msg-other"))
                .as("never sent to a system")
                .isFalse();
        assertThat(deliveries.sentToAnEndedRunsSystem(null, "msg-9"))
                .as("no run")
                .isFalse();
    }

    @Test
    void aMessageOfAnEndedRunThatBoundItsRecipientToASystemIsNotForTheSharedRecord() {
        Map<String, RunSwitches> live = new java.util.HashMap<>(runs);
        Map<String, RunSwitches> ended = new java.util.HashMap<>();
        SutDeliveries following = new SutDeliveries(
                run -> Optional.ofNullable(live.get(run)),
                run -> Optional.ofNullable(ended.get(run)),
                List.of(new Named("fhir-rest")),
                SutExchanges.none());
        Wire toSyng09 = new Wire("SYNG09", "{}", "9990000077");

        assertThat(following.boundToAnEndedRunsSystem("run-1", "discharge-summary", toSyng09))
                .as("its run still live")
                .isFalse();
        ended.put("run-1", live.remove("run-1"));
        assertThat(following.boundToAnEndedRunsSystem("run-1", "discharge-summary", toSyng09))
                .isTrue();
        assertThat(following.boundToAnEndedRunsSystem("run-1", "discharge-summary", new Wire("SYNG01", "{}", "x")))
                .as("another recipient, simulated in that run")
                .isFalse();
        assertThat(following.boundToAnEndedRunsSystem("run-1", "eol-pointer", toSyng09))
                .as("a flow the run bound no system to")
                .isFalse();
        assertThat(following.boundToAnEndedRunsSystem("run-7", "discharge-summary", toSyng09))
                .as("a run that bound no receiver is not remembered")
                .isFalse();
    }

    @Test
    void aMessageWhoseAttemptDiedWithTheTestbedIsStillKnownAsGivenToTheSystem() {
        InMemorySutExchanges log = new InMemorySutExchanges();
        Map<String, RunSwitches> live = new java.util.HashMap<>(runs);
        // An attempt that never comes back to record its exchange, as when the testbed is killed mid-flight.
        SutTransport dying = new SutTransport() {
            @Override
            public String name() {
                return "fhir-rest";
            }

            @Override
            public String send(SystemUnderTest system, Outgoing message) {
                throw new IllegalStateException("killed before the answer");
            }
        };
        SutDeliveries deliveries = new SutDeliveries(run -> Optional.ofNullable(live.get(run)), List.of(dying), log);

        assertThatThrownBy(() -> deliveries.deliver(
                        GP, new SutTransport.Outgoing("run-1", "discharge-summary", "msg-1", "9990000077", "{}")))
                .hasMessageContaining("killed");
        live.remove("run-1");

        assertThat(log.kept).as("no exchange was recorded").isEmpty();
        assertThat(deliveries.sentToAnEndedRunsSystem("run-1", "msg-1")).isTrue();
        assertThat(deliveries.sentToAnEndedRunsSystem("run-1", "msg-2")).isFalse();
    }
}
