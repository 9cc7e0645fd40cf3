package org.ldrtestbed.routes.childprotection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.childprotection.CpIsAccessTranslator.CpIsQuery;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class CpIsAccessTranslatorTest {

    private final CpIsAccessTranslator translator = new CpIsAccessTranslator();

    @Test
    void anEmergencyAttendanceBecomesACpIsQueryAboutThePatientSeen() {
        CpIsQuery query = translator.toQuery(encounter());

        assertThat(query.patient().getReference()).isEqualTo("Patient/5");
        assertThat(query.encounter().getIdElement().getIdPart()).isEqualTo("70");
        // By the NHS number the shared record holds for that patient.
        assertThat(CpIsAccessTranslator.search("9990000018"))
                .isEqualTo("/cp-is/FHIR/R4/CarePlan?patient:identifier="
                        + "https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9990000018");
    }

    @Test
    void anEncounterThatDoesNotNameThePatientSeenIsRefused() {
        Encounter group = encounter();
        group.setSubject(new Reference("Group/1"));

        assertThatThrownBy(() -> translator.toQuery(group))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("Encounter.subject");
    }

    @Test
    void aChildOnAPlanRaisesASafetyFlagAndTellsTheLocalAuthorityOncePerAttendance() {
        CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.addCategory()
                .addCoding(
                        new Coding(CpIsPlanUploadTranslator.PLAN_TYPES, "CPPI", "Child Protection Plan Information"));
        plan.setAuthor(new Reference()
                .setIdentifier(
                        new Identifier().setSystem(CpIsPlanUploadTranslator.ODS).setValue("SYNLA"))
                .setDisplay("duty desk"));
        plan.getPeriod().setStartElement(new DateTimeType("2026-01-05"));

        Bundle filing = CpIsAccessDelivery.alertAndNotification(
                encounter(), List.of(plan), Instant.parse("2026-01-12T10:35:00Z"));

        Flag alert = (Flag) filing.getEntry().get(0).getResource();
        assertThat(alert.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("safety");
        assertThat(alert.getCode().getText())
                .contains("Child Protection Plan Information")
                .contains("duty desk");
        assertThat(filing.getEntry().get(0).getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + CpIsAccessDelivery.ALERT_SYSTEM + "|70-CPPI");
        Communication notice = (Communication) filing.getEntry().get(1).getResource();
        assertThat(notice.getRecipientFirstRep().getReference()).isEqualTo("Organization/SYNLA");
        assertThat(notice.getSent().toInstant()).isEqualTo(Instant.parse("2026-01-12T10:35:00Z"));
        assertThat(filing.getEntry().get(1).getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + CpIsAccessDelivery.NOTIFICATION_SYSTEM + "|70");
    }

    private static Encounter encounter() {
        Encounter encounter = new Encounter();
        encounter.setId("Encounter/70");
        encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMER", "emergency"));
        encounter.setSubject(new Reference("Patient/5"));
        encounter.setServiceProvider(new Reference("Organization/SYNAC"));
        return encounter;
    }
}
