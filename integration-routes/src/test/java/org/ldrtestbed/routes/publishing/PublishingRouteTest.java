package org.ldrtestbed.routes.publishing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.publishing.PublishingRoute.Decision;

/** The catalogue's withhold rules, applied as the patient-online-access route applies them. */
class PublishingRouteTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FlowCatalogue CATALOGUE = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);

    private final PublishingRoute patientAccess = route("patient-online-access");
    private final PublishingRoute summary = route("gp-summary");

    @Test
    void filedEntriesArePublishedToThePatient() {
        Observation result = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        assertThat(decide(patientAccess, result, "Observation/1").withheldBecause())
                .isNull();
        Encounter visit = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
        assertThat(decide(patientAccess, visit, "Encounter/2").withheldBecause())
                .isNull();
    }

    @Test
    void draftUnfiledAndRedactedEntriesAreWithheldFromThePatient() {
        Observation unfiled = new Observation().setStatus(Observation.ObservationStatus.PRELIMINARY);
        assertThat(decide(patientAccess, unfiled, "Observation/3").withheldBecause())
                .contains("unfiled");
        Encounter draft = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS);
        assertThat(decide(patientAccess, draft, "Encounter/4").withheldBecause())
                .contains("draft");
        Condition redacted = new Condition();
        redacted.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "REDACTED", null);
        assertThat(decide(patientAccess, redacted, "Condition/5").withheldBecause())
                .contains("redacted");
    }

    @Test
    void aFlowPublishesOnlyItsOwnTypes() {
        Observation result = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        assertThatThrownBy(() -> decide(summary, result, "Observation/6"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not Observation");
    }

    private static Decision decide(PublishingRoute route, Resource entry, String id) {
        entry.setId(id);
        return route.translate(FHIR.newJsonParser().encodeResourceToString(entry));
    }

    private static PublishingRoute route(String code) {
        return new PublishingRoute(CATALOGUE.flow(code).orElseThrow(), null, 1, FHIR, null);
    }
}
