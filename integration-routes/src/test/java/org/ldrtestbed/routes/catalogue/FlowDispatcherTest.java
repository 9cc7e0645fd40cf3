package org.ldrtestbed.routes.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;

class FlowDispatcherTest {

    private final FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private final List<String> sent = new ArrayList<>();
    private final List<java.util.Map<String, Object>> headers = new ArrayList<>();
    private final FlowSwitchboard switchboard = new FlowSwitchboard(catalogue, Set.of());
    private final FlowDispatcher dispatcher = new FlowDispatcher(
            catalogue,
            switchboard,
            FhirContext.forR4Cached(),
            (flow, body, sentHeaders) -> {
                sent.add(flow.queue());
                headers.add(sentHeaders);
            },
            java.time.Clock.systemUTC());

    @Test
    void aDischargeSummaryWrittenByAnAcuteTrustIsSentOnTheDischargeSummaryFlow() {
        List<String> flows = dispatcher.dispatch(committed(document("373942005"), "acute"));

        assertThat(flows).containsExactly("discharge-summary");
        assertThat(sent).containsExactly("ldr.flow.discharge-summary");
        assertThat(headers.getFirst())
                .containsEntry("LdrFlowCode", "discharge-summary")
                .containsEntry("LdrNhsNumber", "9990000018")
                .containsEntry("LdrJourneyId", "journey-1")
                .containsEntry("LdrSourceOrganisation", "SYN-TEST")
                .containsKeys("LdrMessageId", "LdrCommittedAt");
    }

    @Test
    void theSameDocumentFromAnotherSettingIsNotSent() {
        assertThat(dispatcher.dispatch(committed(document("373942005"), "primary-care")))
                .isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void otherDocumentsAndResourcesAreNotSent() {
        assertThat(dispatcher.dispatch(committed(document("371531000"), "acute")))
                .isEmpty();
        assertThat(dispatcher.dispatch(committed(new Patient(), "acute"))).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void aSwitchedOffFlowMatchesButSendsNothing() {
        switchboard.disable("discharge-summary");

        FlowDispatcher.CommittedResource summary = committed(document("373942005"), "acute");
        assertThat(dispatcher.triggeredBy(summary))
                .extracting(SharingFlow::code)
                .containsExactly("discharge-summary");
        assertThat(dispatcher.dispatch(summary)).isEmpty();
        assertThat(sent).isEmpty();

        switchboard.enable("discharge-summary");
        assertThat(dispatcher.dispatch(summary)).containsExactly("discharge-summary");
    }

    @Test
    void aWriteTheFlowCouldNeverCarryIsRefusedBeforeItCommitsNamingTheFlow() {
        FlowDispatcher checking = new FlowDispatcher(
                catalogue,
                switchboard,
                FhirContext.forR4Cached(),
                (flow, body, sentHeaders) -> sent.add(flow.queue()),
                java.util.Map.of("discharge-summary", body -> {
                    if (!body.contains("generalPractitioner")) {
                        throw new org.ldrtestbed.routes.delivery.InvalidMessageException("no GP practice");
                    }
                }),
                java.time.Clock.systemUTC());
        FlowDispatcher.CommittedResource summary = committed(document("373942005"), "acute");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checking.check(summary))
                .isInstanceOf(org.ldrtestbed.routes.delivery.InvalidMessageException.class)
                .hasMessageStartingWith("flow discharge-summary (")
                .hasMessageEndingWith("cannot carry this Bundle: no GP practice");

        switchboard.disable("discharge-summary");
        checking.check(summary); // a switched-off flow carries nothing, so checks nothing
        assertThat(sent).isEmpty();
    }

    @Test
    void switchingAnUnknownFlowIsAnError() {
        assertThatThrownBy(() -> switchboard.disable("no-such-flow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-flow");
    }

    @Test
    void theCatalogueNamesACapabilityAndADurableQueuePerFlow() {
        assertThat(catalogue.flows()).isNotEmpty().allSatisfy(flow -> {
            assertThat(flow.capability()).matches("[a-j]|record-sharing");
            assertThat(flow.deliveredBy()).isNotBlank();
            assertThat(flow.timeliness()).isPositive();
            assertThat(flow.queue()).isEqualTo("ldr.flow." + flow.code());
        });
    }

    private static FlowDispatcher.CommittedResource committed(
            org.hl7.fhir.instance.model.api.IBaseResource resource, String setting) {
        return new FlowDispatcher.CommittedResource(resource, "SYN-TEST", setting, "journey-1", null);
    }

    private static Bundle document(String type) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        Composition composition = new Composition();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000018");
        composition.setType(new CodeableConcept(new Coding("http://snomed.info/sct", type, null)));
        bundle.addEntry().setResource(composition);
        bundle.addEntry().setResource(patient);
        return bundle;
    }
}
