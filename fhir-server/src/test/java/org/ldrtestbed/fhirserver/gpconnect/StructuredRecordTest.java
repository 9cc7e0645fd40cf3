package org.ldrtestbed.fhirserver.gpconnect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.directory.DirectoryResources;
import org.ldrtestbed.identity.ActorIdentity;

/** Which of what the caller was shown the structured record answers, and which system clients it answers. */
class StructuredRecordTest {

    private static final String PRACTICE = "SYNG09";

    /** Who wrote each entry, by its id. */
    private final Map<String, String> writers = new java.util.HashMap<>();

    private final StructuredRecord record = new StructuredRecord(
            r -> Optional.ofNullable(writers.get(r.getIdElement().getIdPart())),
            caller -> caller.roles().contains("system"),
            (patient, organisation) -> patient.equals("12") && organisation.equals("SYNAC"));

    @Test
    void thePracticeIsTheOrganisationThePatientIsRegisteredWith() {
        Patient byReference = new Patient();
        byReference.addGeneralPractitioner(new Reference("Practitioner/sds-900000000101"));
        byReference.addGeneralPractitioner(new Reference("Organization/SYNG09"));
        Patient byIdentifier = new Patient();
        byIdentifier.addGeneralPractitioner(new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(DirectoryResources.ODS_ORGANISATION)
                        .setValue("SYNG02")));

        assertThat(StructuredRecord.practiceOf(byReference)).contains("SYNG09");
        assertThat(StructuredRecord.practiceOf(byIdentifier)).contains("SYNG02");
        assertThat(StructuredRecord.practiceOf(new Patient())).isEmpty();
    }

    @Test
    void onlyThePracticesEntriesAreAnsweredAndWhatWasEnteredInErrorIsLeftOut() {
        AllergyIntolerance practices = allergy("1", PRACTICE, "active");
        AllergyIntolerance acutes = allergy("2", "SYNAC", "active");
        AllergyIntolerance unattributed = allergy("3", null, "active");
        AllergyIntolerance inError = allergy("4", PRACTICE, "active");
        inError.setVerificationStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "entered-in-error", null)));
        MedicationStatement statement = statement("5", PRACTICE, null);
        MedicationStatement wrongStatement =
                statement("6", PRACTICE, null).setStatus(MedicationStatement.MedicationStatementStatus.ENTEREDINERROR);

        Bundle answer = record.answer(
                "http://testbed/fhir",
                patient(),
                PRACTICE,
                everything(true, null),
                List.of(practices, acutes, unattributed, inError),
                List.of(statement, wrongStatement));

        assertThat(answer.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(ids(answer)).containsExactly("Patient/12", "AllergyIntolerance/1", "MedicationStatement/5");
        assertThat(answer.getEntry().get(1).getFullUrl()).isEqualTo("http://testbed/fhir/AllergyIntolerance/1");
    }

    @Test
    void resolvedAllergiesAndMedicationEndedBeforeTheDateAreLeftOutWhenAsked() {
        AllergyIntolerance active = allergy("1", PRACTICE, "active");
        AllergyIntolerance resolved = allergy("2", PRACTICE, "resolved");
        MedicationStatement current = statement("3", PRACTICE, null);
        MedicationStatement ended = statement("4", PRACTICE, "2023-12-31");
        MedicationStatement endsOnTheDay = statement("5", PRACTICE, "2024-01-01");
        MedicationRequest oldOrder = order("6", "2022-05-01");
        MedicationRequest newOrder = order("7", "2024-03-01");

        Bundle answer = record.answer(
                "http://testbed/fhir",
                patient(),
                PRACTICE,
                everything(false, LocalDate.of(2024, 1, 1)),
                List.of(active, resolved),
                List.of(current, ended, endsOnTheDay, oldOrder, newOrder));

        assertThat(ids(answer))
                .containsExactly(
                        "Patient/12",
                        "AllergyIntolerance/1",
                        "MedicationStatement/3",
                        "MedicationStatement/5",
                        "MedicationRequest/7");
    }

    @Test
    void whatWasNotAskedForIsNotAnswered() {
        StructuredRecordRequest patientOnly =
                new StructuredRecordRequest("9990000077", false, false, false, Optional.empty());

        Bundle answer = record.answer(
                "http://testbed/fhir",
                patient(),
                PRACTICE,
                patientOnly,
                List.of(allergy("1", PRACTICE, "active")),
                List.of(statement("2", PRACTICE, null)));

        assertThat(ids(answer)).containsExactly("Patient/12");
    }

    @Test
    void aSystemClientIsAnsweredForCareItsOrganisationGivesAndProfessionalsAsTheirSearchesAre() {
        assertThat(record.refusal(system("SYNLA"), "12", PRACTICE))
                .hasValueSatisfying(r -> assertThat(r).contains("SYNLA").contains("not involved"));
        assertThat(record.refusal(system("SYNAC"), "12", PRACTICE)).isEmpty();
        assertThat(record.refusal(system("SYNAC"), "99", PRACTICE)).isPresent();
        assertThat(record.refusal(system(PRACTICE), "99", PRACTICE)).isEmpty();
        assertThat(record.refusal(system(null), "99", PRACTICE)).isEmpty();
        ActorIdentity nurse =
                new ActorIdentity("nurse.fenwick", List.of("district-nurse"), "SYNCM", null, null, null, null);
        assertThat(record.refusal(nurse, "99", PRACTICE)).isEmpty();
    }

    private static ActorIdentity system(String organisation) {
        return new ActorIdentity("service-account", List.of("system"), organisation, null, null, null, null);
    }

    private static StructuredRecordRequest everything(boolean resolved, LocalDate from) {
        return new StructuredRecordRequest("9990000077", true, resolved, true, Optional.ofNullable(from));
    }

    private static Patient patient() {
        Patient patient = new Patient();
        patient.setId("12");
        return patient;
    }

    private AllergyIntolerance allergy(String id, String writer, String status) {
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", status, null)));
        return written(allergy, id, writer);
    }

    private MedicationStatement statement(String id, String writer, String ended) {
        MedicationStatement statement = new MedicationStatement();
        Period period = new Period().setStartElement(new DateTimeType("2019-01-01"));
        if (ended != null) {
            period.setEndElement(new DateTimeType(ended));
        }
        statement.setEffective(period);
        return written(statement, id, writer);
    }

    private MedicationRequest order(String id, String authored) {
        return written(new MedicationRequest().setAuthoredOnElement(new DateTimeType(authored)), id, PRACTICE);
    }

    private <T extends Resource> T written(T resource, String id, String writer) {
        resource.setId(id);
        if (writer != null) {
            writers.put(id, writer);
        }
        return resource;
    }

    private static List<String> ids(Bundle answer) {
        return answer.getEntry().stream()
                .map(e -> e.getResource().fhirType() + "/"
                        + e.getResource().getIdElement().getIdPart())
                .toList();
    }
}
