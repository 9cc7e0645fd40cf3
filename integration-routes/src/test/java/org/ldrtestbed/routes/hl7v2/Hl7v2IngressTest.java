package org.ldrtestbed.routes.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.adt.AdtTranslator;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.MllpClient;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.contract.SystemUnderTest.Direction;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.sut.SutExchanges;
import org.springframework.core.io.ClassPathResource;

class Hl7v2IngressTest {

    private final FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private final FlowSwitchboard switchboard = new FlowSwitchboard(catalogue, Set.of());
    private final List<Map<String, Object>> queued = new ArrayList<>();
    private final List<Map<String, Object>> dead = new ArrayList<>();
    private final List<Stage> logged = new ArrayList<>();
    private final AdtTranslator adt = new AdtTranslator();
    private final Hl7v2Ingress ingress = new Hl7v2Ingress(
            catalogue,
            switchboard,
            ods -> switch (ods) {
                case "SYNAC" -> Optional.of("acute");
                case "SYNG09" -> Optional.of("primary-care");
                default -> Optional.empty();
            },
            Map.of("adt-notification", er7 -> adt.toEvent(er7).nhsNumber()),
            (flow, body, headers) -> queued.add(headers),
            (flow, body, headers) -> dead.add(headers),
            new MessageLog() {
                @Override
                public void record(Stage stage, Map<String, Object> headers, String detail) {
                    logged.add(stage);
                }

                @Override
                public List<MessageLogEntry> search(MessageQuery query) {
                    return List.of();
                }
            },
            new org.ldrtestbed.routes.clock.RunClock(java.time.Clock.systemUTC()));

    @Test
    void aValidAdmissionIsQueuedOnItsFlowThenAcknowledged() {
        String ack = ingress.accept(a01());

        assertThat(MllpClient.acknowledgementCode(ack)).isEqualTo("AA");
        assertThat(ack).contains("MSA|AA|MSG-A01-1");
        assertThat(queued)
                .singleElement()
                .satisfies(h -> assertThat(h)
                        .containsEntry(FlowHeaders.FLOW, "adt-notification")
                        .containsEntry(FlowHeaders.NHS_NUMBER, "9990000018")
                        .containsEntry(FlowHeaders.GROUP, "9990000018")
                        .containsEntry(FlowHeaders.SOURCE_ORGANISATION, "SYNAC"));
        assertThat(dead).isEmpty();
        assertThat(logged).containsExactly(Stage.RECEIVED);
    }

    @Test
    void whatCanNeverBeCarriedIsRejectedWithItsReasonAndDeadLettered() {
        assertRejected("garbage", "no MSH segment");
        assertRejected(a01().replace("ADT^A01", "ORM^O01"), "no flow carries ORM^O01");
        assertRejected(a01().replace("|SYNAC|", "|SYNZZ|"), "unknown sending facility");
        assertRejected(a01().replace("|SYNAC|", "|SYNG09|"), "carries messages from acute");
        assertRejected(a01().replace("9990000018", "9990000019"), "Modulus 11");
        assertThat(queued).isEmpty();
        assertThat(dead).hasSize(5).allSatisfy(h -> assertThat(h).containsKey(FlowHeaders.DEAD_LETTER_REASON));
        assertThat(logged).hasSize(5).containsOnly(Stage.DEAD_LETTERED);
    }

    @Test
    void anAdmissionOfAPatientARunFollowsIsTaggedWithThatRunAndObeysItsSwitches() {
        org.ldrtestbed.routes.catalogue.FlowSwitches switches =
                org.ldrtestbed.routes.catalogue.FlowSwitches.serverWide(switchboard, catalogue);
        Hl7v2Ingress perRun = new Hl7v2Ingress(
                catalogue,
                switches,
                ods -> "SYNAC".equals(ods) ? Optional.of("acute") : Optional.empty(),
                Map.of("adt-notification", er7 -> adt.toEvent(er7).nhsNumber()),
                (flow, body, headers) -> queued.add(headers),
                (flow, body, headers) -> dead.add(headers),
                new MessageLog() {
                    @Override
                    public void record(Stage stage, Map<String, Object> headers, String detail) {
                        logged.add(stage);
                    }

                    @Override
                    public List<MessageLogEntry> search(MessageQuery query) {
                        return List.of();
                    }
                },
                new org.ldrtestbed.routes.clock.RunClock(java.time.Clock.systemUTC()));
        switches.register(
                "run-off",
                new org.ldrtestbed.routes.contract.RunSwitches(
                        Set.of("adt-notification"), List.of(), Set.of("9990000018")));

        String ack = perRun.accept(a01());
        assertThat(MllpClient.acknowledgementCode(ack)).isEqualTo("AA");
        assertThat(ack).contains("switched off for run run-off");
        assertThat(queued).isEmpty();
        assertThat(switches.withheld("run-off")).hasSize(1);

        switches.register(
                "run-on", new org.ldrtestbed.routes.contract.RunSwitches(Set.of(), List.of(), Set.of("9990000018")));
        switches.remove("run-off");
        perRun.accept(a01());
        assertThat(queued).singleElement().satisfies(h -> assertThat(h).containsEntry(FlowHeaders.JOURNEY, "run-on"));
    }

    @Test
    void timelinessCountsFromTheEventTimeTheMessageReports() {
        // EVN-2 is UK local time: 10:30 on 12 January is 10:30Z (GMT); the message's own offset wins when it has one.
        ingress.accept(a01());
        ingress.accept(a01().replace("EVN|A01|202601121030", "EVN|A01|20260712103000+0100"));

        assertThat(queued)
                .extracting(h -> h.get(FlowHeaders.TIMELINESS_FROM))
                .containsExactly("2026-01-12T10:30:00Z", "2026-07-12T09:30:00Z");
    }

    @Test
    void anEventTimeThatIsNoTimeIsRefusedNamingTheField() {
        assertRejected(a01().replace("EVN|A01|202601121030", "EVN|A01|yesterday"), "EVN-2");
        assertThat(queued).isEmpty();
    }

    @Test
    void aSwitchedOffFlowAcknowledgesButCarriesNothing() {
        switchboard.disable("adt-notification");

        assertThat(MllpClient.acknowledgementCode(ingress.accept(a01()))).isEqualTo("AA");
        assertThat(queued).isEmpty();
    }

    private void assertRejected(String er7, String reason) {
        String ack = ingress.accept(er7);
        assertThat(MllpClient.acknowledgementCode(ack)).as(ack).isEqualTo("AR");
        assertThat(MllpClient.acknowledgementText(ack)).contains(reason);
    }

    @Test
    void everyMessageIsKeptWithItsAckUnderTheRunItsIdNamesWithTheRunsBoundSender() {
        org.ldrtestbed.routes.catalogue.FlowSwitches switches =
                org.ldrtestbed.routes.catalogue.FlowSwitches.serverWide(switchboard, catalogue);
        List<SutExchange> kept = new ArrayList<>();
        Hl7v2Ingress keeping = new Hl7v2Ingress(
                catalogue,
                switches,
                ods -> "SYNAC".equals(ods) ? Optional.of("acute") : Optional.empty(),
                Map.of("adt-notification", er7 -> adt.toEvent(er7).nhsNumber()),
                (flow, body, headers) -> queued.add(headers),
                (flow, body, headers) -> dead.add(headers),
                new MessageLog() {
                    @Override
                    public void record(Stage stage, Map<String, Object> headers, String detail) {
                        logged.add(stage);
                    }

                    @Override
                    public List<MessageLogEntry> search(MessageQuery query) {
                        return List.of();
                    }
                },
                new org.ldrtestbed.routes.clock.RunClock(java.time.Clock.systemUTC()),
                new SutExchanges() {
                    @Override
                    public SutExchange record(SutExchange exchange) {
                        kept.add(exchange);
                        return exchange;
                    }

                    @Override
                    public List<SutExchange> ofRun(String run, long afterSequence) {
                        return List.of();
                    }
                });
        switches.register(
                "run-7",
                new RunSwitches(
                        Set.of(),
                        List.of(),
                        Set.of(),
                        List.of(new SystemUnderTest(
                                "acute-pas", "adt-notification", "SYNAC", Direction.SENDS, "mllp", null, null))));

        String prompted = a01().replace("MSG-A01-1", "run-7-admit");
        String ack = keeping.accept(prompted);
        keeping.accept(a01());
        keeping.accept(a01().replace("9990000018", "9990000019"));

        assertThat(queued).first().satisfies(h -> assertThat(h).containsEntry(FlowHeaders.JOURNEY, "run-7"));
        assertThat(kept).hasSize(3);
        assertThat(kept.get(0)).satisfies(e -> {
            assertThat(e.run()).isEqualTo("run-7");
            assertThat(e.system()).isEqualTo("acute-pas");
            assertThat(e.flow()).isEqualTo("adt-notification");
            assertThat(e.direction()).isEqualTo(SutExchange.FROM_SUT);
            assertThat(e.transport()).isEqualTo(SystemUnderTest.MLLP);
            assertThat(e.nhsNumber()).isEqualTo("9990000018");
            assertThat(e.request()).isEqualTo(prompted);
            assertThat(e.response()).isEqualTo(ack).contains("MSA|AA|run-7-admit");
        });
        // Neither named by its id nor followed by its patient: kept, matched to no run.
        assertThat(kept.get(1).run()).isNull();
        assertThat(kept.get(1).system()).isNull();
        // Refused: its patient is still read from PID-3, and its ACK AR kept.
        assertThat(kept.get(2).nhsNumber()).isEqualTo("9990000019");
        assertThat(MllpClient.acknowledgementCode(kept.get(2).response())).isEqualTo("AR");

        // A message naming a run whose patient it is not is refused: nothing of it is queued.
        switches.register("run-8", new RunSwitches(Set.of(), List.of(), Set.of("9990000077")));
        int before = queued.size();
        String otherPatient = keeping.accept(a01().replace("MSG-A01-1", "run-8-admit"));
        assertThat(MllpClient.acknowledgementCode(otherPatient)).isEqualTo("AR");
        assertThat(MllpClient.acknowledgementText(otherPatient))
                .contains("run-8")
                .contains("9990000018");
        assertThat(queued).hasSize(before);
        // A hospital number too long for an NHS number is not kept as one (it would not fit the log's column).
        keeping.accept(a01().replace("9990000018^^^NHS^NH", "RRK-0000000000000012345^^^RRK^MR"));
        assertThat(kept.getLast().nhsNumber()).isNull();
    }

    private static String a01() {
        try {
            return new ClassPathResource("hl7v2/samples/adt-a01.hl7").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
