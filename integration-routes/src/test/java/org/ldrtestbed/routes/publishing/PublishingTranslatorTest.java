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
import org.ldrtestbed.routes.publishing.PublishingTranslator.Publication;

/** The catalogue's withhold rules, applied as the publishing flows apply them. */
class PublishingTranslatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FlowCatalogue CATALOGUE = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);

    private final PublishingTranslator patientAccess = translator("patient-online-access");
    private final PublishingTranslator summary = translator("gp-summary");

    @Test
    void filedEntriesArePublishedToThePatient() {
        Observation result = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        Publication publication = decide(patientAccess, result, "Observation/1");
        assertThat(publication.reference()).isEqualTo("Observation/1");
        assertThat(publication.audience()).isEqualTo("patient");
        assertThat(publication.published()).isTrue();
        assertThat(publication.withheldBecause()).isNull();
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
    void theGpSummaryIsPublishedToProfessionals() {
        org.hl7.fhir.r4.model.AllergyIntolerance allergy = new org.hl7.fhir.r4.model.AllergyIntolerance();
        assertThat(decide(summary, allergy, "AllergyIntolerance/7").audience()).isEqualTo("professionals");
    }

    @Test
    void anEntryWithoutAnIdInTheRecordIsRefused() {
        assertThatThrownBy(() -> summary.toPublication(new org.hl7.fhir.r4.model.AllergyIntolerance()))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("no id");
    }

    @Test
    void aFlowPublishesOnlyItsOwnTypes() {
        Observation result = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        assertThatThrownBy(() -> decide(summary, result, "Observation/6"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not Observation");
    }

    private static Publication decide(PublishingTranslator translator, Resource entry, String id) {
        entry.setId(id);
        // As the route gets it: the stored entry, encoded and parsed again.
        return translator.toPublication(
                FHIR.newJsonParser().parseResource(FHIR.newJsonParser().encodeResourceToString(entry)));
    }

    private static PublishingTranslator translator(String code) {
        return new PublishingTranslator(CATALOGUE.flow(code).orElseThrow(), FHIR);
    }
}
