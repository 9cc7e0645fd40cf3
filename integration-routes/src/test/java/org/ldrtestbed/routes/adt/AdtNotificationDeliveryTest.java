package org.ldrtestbed.routes.adt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** An event for a stay the record already holds moves that stay on: what the EPR wrote is kept. */
class AdtNotificationDeliveryTest {

    private static final Instant ADMITTED = Instant.parse("2026-01-12T10:30:00Z");
    private static final Instant DISCHARGED = Instant.parse("2026-01-17T14:00:00Z");
    private static final AdtNotificationDelivery.StayParties RESP_UNDER_LINDQVIST =
            new AdtNotificationDelivery.StayParties(new Reference("Location/resp"), new Reference("Practitioner/106"));

    @Test
    void admissionOfAStayTheEprWroteKeepsWhatItWroteAndGuardsItsVersion() {
        Encounter epr = eprAdmission();

        Bundle filing = AdtNotificationDelivery.filing(event("A01", "SYNAC01-RESP"), epr, RESP_UNDER_LINDQVIST);

        Bundle.BundleEntryComponent entry = filing.getEntry().get(0);
        assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(entry.getRequest().getUrl()).isEqualTo("Encounter/42");
        assertThat(entry.getRequest().getIfMatch()).isEqualTo("W/\"3\"");
        Encounter stay = (Encounter) entry.getResource();
        assertThat(stay.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(stay.getReasonReferenceFirstRep().getReference()).isEqualTo("Condition/dx");
        assertThat(stay.getHospitalization().getAdmitSource().getText()).isEqualTo("From A&E");
        assertThat(stay.getPartOf().getReference()).isEqualTo("Encounter/ed");
        // Already attending: not named twice; the admitting consultant stays.
        assertThat(stay.getParticipant())
                .extracting(p -> p.getIndividual().getReference())
                .containsExactly("Practitioner/105", "Practitioner/106");
        assertThat(stay.getLocation()).singleElement().satisfies(l -> {
            assertThat(l.getLocation().getReference()).isEqualTo("Location/resp");
            assertThat(l.getStatus()).isEqualTo(Encounter.EncounterLocationStatus.ACTIVE);
        });
        assertThat(stay.getIdentifier()).hasSize(1);
        assertThat(epr.getStatus())
                .as("the stay read is not changed in place")
                .isEqualTo(Encounter.EncounterStatus.PLANNED);

        Communication notice = (Communication) filing.getEntry().get(1).getResource();
        assertThat(notice.getEncounter().getReference()).isEqualTo("Encounter/42");
        assertThat(filing.getEntry().get(1).getRequest().getIfNoneExist()).endsWith("|SYNAC-A01-1");
    }

    @Test
    void transferCompletesTheEarlierWardAndAddsAnAttendingDoctorNotYetNamed() {
        Encounter epr = eprAdmission();
        epr.getParticipant().remove(1);
        epr.getLocationFirstRep().setLocation(new Reference("Location/amu"));
        Instant moved = Instant.parse("2026-01-12T16:30:00Z");

        Encounter stay = AdtNotificationDelivery.movedOn(
                epr,
                new AdtEvent(
                        "A02",
                        "A02-1",
                        "SYNAC",
                        "9990000077",
                        "V1",
                        "SYNAC01-RESP",
                        "900000000106",
                        "Erik Lindqvist",
                        moved,
                        null,
                        moved,
                        "SYNG09"),
                RESP_UNDER_LINDQVIST);

        assertThat(stay.getLocation()).hasSize(2);
        Encounter.EncounterLocationComponent amu = stay.getLocation().get(0);
        assertThat(amu.getStatus()).isEqualTo(Encounter.EncounterLocationStatus.COMPLETED);
        assertThat(amu.getPeriod().getEnd()).isEqualTo(Date.from(moved));
        Encounter.EncounterLocationComponent resp = stay.getLocation().get(1);
        assertThat(resp.getLocation().getReference()).isEqualTo("Location/resp");
        assertThat(resp.getStatus()).isEqualTo(Encounter.EncounterLocationStatus.ACTIVE);
        assertThat(resp.getPeriod().getStart()).isEqualTo(Date.from(moved));
        assertThat(stay.getParticipant())
                .extracting(p -> p.getIndividual().getReference())
                .containsExactly("Practitioner/105", "Practitioner/106");
        assertThat(stay.getParticipant()
                        .get(1)
                        .getTypeFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("ATND");
        // A transfer without PV1-44 leaves the admission time as recorded.
        assertThat(stay.getPeriod().getStart()).isEqualTo(Date.from(ADMITTED));
    }

    @Test
    void dischargeFinishesTheStayAndItsWard() {
        Encounter stay =
                AdtNotificationDelivery.movedOn(eprAdmission(), event("A03", "SYNAC01-RESP"), RESP_UNDER_LINDQVIST);

        assertThat(stay.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(stay.getPeriod().getStart()).isEqualTo(Date.from(ADMITTED));
        assertThat(stay.getPeriod().getEnd()).isEqualTo(Date.from(DISCHARGED));
        assertThat(stay.getLocationFirstRep().getStatus()).isEqualTo(Encounter.EncounterLocationStatus.COMPLETED);
        assertThat(stay.getLocationFirstRep().getPeriod().getEnd()).isEqualTo(Date.from(DISCHARGED));
        assertThat(stay.getHospitalization().getAdmitSource().getText()).isEqualTo("From A&E");
    }

    @Test
    void aStayTheRecordDoesNotHoldIsCreatedOnItsVisitNumber() {
        Bundle filing = AdtNotificationDelivery.filing(event("A01", "SYNAC01-RESP"));

        Bundle.BundleEntryComponent entry = filing.getEntry().get(0);
        assertThat(entry.getRequest().getUrl())
                .isEqualTo("Encounter?identifier=" + AdtTranslator.VISIT_SYSTEM + "|SYNAC-V1");
        assertThat(entry.getRequest().hasIfMatch()).isFalse();
        assertThat(AdtNotificationDelivery.stayQuery(event("A01", "SYNAC01-RESP")))
                .isEqualTo(entry.getRequest().getUrl());
    }

    /** The admission as the trust's EPR wrote it, visit number included, at version 3. */
    private static Encounter eprAdmission() {
        Encounter epr = new Encounter();
        epr.setId("Encounter/42/_history/3");
        epr.addIdentifier(new Identifier().setSystem(AdtTranslator.VISIT_SYSTEM).setValue("SYNAC-V1"));
        epr.setStatus(Encounter.EncounterStatus.PLANNED);
        epr.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"));
        epr.setSubject(new Reference("Patient/dot"));
        epr.getPeriod().setStart(Date.from(ADMITTED));
        epr.addReasonReference(new Reference("Condition/dx"));
        epr.setPartOf(new Reference("Encounter/ed"));
        epr.addParticipant()
                .addType(new CodeableConcept().setText("admitter"))
                .setIndividual(new Reference("Practitioner/105"));
        epr.addParticipant().setIndividual(new Reference("Practitioner/106"));
        epr.addLocation()
                .setLocation(new Reference("Location/resp"))
                .setStatus(Encounter.EncounterLocationStatus.PLANNED)
                .getPeriod()
                .setStart(Date.from(ADMITTED));
        epr.getHospitalization().setAdmitSource(new CodeableConcept().setText("From A&E"));
        return epr;
    }

    private static AdtEvent event(String trigger, String ward) {
        return new AdtEvent(
                trigger,
                trigger + "-1",
                "SYNAC",
                "9990000077",
                "V1",
                ward,
                "900000000106",
                "Erik Lindqvist",
                ADMITTED,
                "A03".equals(trigger) ? DISCHARGED : null,
                "A03".equals(trigger) ? DISCHARGED : ADMITTED,
                "SYNG09");
    }
}
