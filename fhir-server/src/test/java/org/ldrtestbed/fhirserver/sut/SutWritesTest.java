package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.sut.SutExchanges;

/** Which writes are a sending system's message in a run, and which of them are refused. */
class SutWritesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FlowCatalogue CATALOGUE = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private static final String PATIENT = "9990000123";

    private final FlowSwitches runs =
            new FlowSwitches(new FlowSwitchboard(CATALOGUE, List.of()), CATALOGUE, Clock.systemUTC());
    private final List<SutExchange> kept = new ArrayList<>();
    private final RunClock clock = new RunClock(Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));
    private final SutWrites writes = new SutWrites(runs, CATALOGUE, recorder(), clock, FHIR);

    SutWritesTest() {
        runs.register(
                "run-1",
                new RunSwitches(
                        Set.of(),
                        List.of(),
                        Set.of(PATIENT),
                        List.of(
                                new SystemUnderTest(
                                        "epr",
                                        "discharge-summary",
                                        "SYNAC",
                                        SystemUnderTest.Direction.SENDS,
                                        SystemUnderTest.FHIR_REST,
                                        null,
                                        null),
                                new SystemUnderTest(
                                        "pas",
                                        "adt-notification",
                                        "SYNAC",
                                        SystemUnderTest.Direction.SENDS,
                                        SystemUnderTest.MLLP,
                                        null,
                                        null))));
        clock.set("run-1", Instant.parse("2026-03-02T09:00:00Z"));
    }

    @Test
    void aBundleTheBoundOrganisationWritesInTheRunIsTheSystemsDischargeSummary() {
        assertThat(writes.match("run-1", "SYNAC", "Bundle", "fhir-rest")).hasValueSatisfying(m -> {
            assertThat(m.binding().system()).isEqualTo("epr");
            assertThat(m.flow().code()).isEqualTo("discharge-summary");
        });
    }

    @Test
    void otherWritesAreNoSystemsMessage() {
        assertThat(writes.match(null, "SYNAC", "Bundle", "fhir-rest"))
                .as("no run named")
                .isEmpty();
        assertThat(writes.match("run-2", "SYNAC", "Bundle", "fhir-rest"))
                .as("a run not registered")
                .isEmpty();
        assertThat(writes.match("run-1", "SYNG09", "Bundle", "fhir-rest"))
                .as("another organisation")
                .isEmpty();
        assertThat(writes.match("run-1", null, "Bundle", "fhir-rest"))
                .as("no organisation")
                .isEmpty();
        assertThat(writes.match("run-1", "SYNAC", "Bundle", "mesh"))
                .as("a transport the sender is not bound over")
                .isEmpty();
        assertThat(writes.match("run-1", "SYNAC", "Observation", "fhir-rest"))
                .as("a type no bound flow carries")
                .isEmpty();
    }

    @Test
    void theRunsPatientIsFiledAndAnotherIsRefused() {
        SutWrites.Matched matched =
                writes.match("run-1", "SYNAC", "Bundle", "fhir-rest").orElseThrow();

        assertThat(writes.nhsNumber(matched, document(PATIENT))).isEqualTo(PATIENT);
        assertThat(writes.refusal(matched, document(PATIENT))).isEmpty();
        assertThat(writes.refusal(matched, document("9990000131")))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("run-1")
                        .contains("not NHS number 9990000131")
                        .contains("nothing filed"));
        assertThat(writes.refusal(matched, new Bundle().setType(Bundle.BundleType.DOCUMENT)))
                .hasValueSatisfying(why -> assertThat(why).contains("names no NHS number"));
    }

    @Test
    void aWriteIsKeptAsTheSystemsExchangeOnTheRunsClock() {
        SutWrites.Matched matched =
                writes.match("run-1", "SYNAC", "Bundle", "fhir-rest").orElseThrow();

        writes.keep(
                matched,
                "POST http://t/fhir/Bundle by client c",
                PATIENT,
                "{}",
                201,
                null,
                "Bundle/1/_history/1",
                null);

        assertThat(kept).singleElement().satisfies(e -> {
            assertThat(e.run()).isEqualTo("run-1");
            assertThat(e.system()).isEqualTo("epr");
            assertThat(e.flow()).isEqualTo("discharge-summary");
            assertThat(e.direction()).isEqualTo(SutExchange.FROM_SUT);
            assertThat(e.transport()).isEqualTo(SystemUnderTest.FHIR_REST);
            assertThat(e.status()).isEqualTo(201);
            assertThat(e.location()).isEqualTo("Bundle/1/_history/1");
            assertThat(e.at()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
        });
        assertThat(writes.now(matched)).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
    }

    private static Bundle document(String nhsNumber) {
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.addEntry().setResource(new Composition());
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber);
        document.addEntry().setResource(patient);
        return document;
    }

    private SutExchanges recorder() {
        return new SutExchanges() {
            @Override
            public SutExchange record(SutExchange exchange) {
                kept.add(exchange);
                return exchange;
            }

            @Override
            public List<SutExchange> ofRun(String run, long afterSequence) {
                return List.copyOf(kept);
            }
        };
    }
}
