package org.ldrtestbed.fhirserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class WriteValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final WriteValidation VALIDATION = new WriteValidation(
            FHIR,
            ValidationMode.OFF,
            Map.of("acute-integration", ValidationMode.REJECT, "gp-clinical-system", ValidationMode.WARN));

    @Test
    void eachSourceHasItsModeAndTheRestTheDefault() {
        assertThat(VALIDATION.modeOf("acute-integration")).isEqualTo(ValidationMode.REJECT);
        assertThat(VALIDATION.modeOf("gp-clinical-system")).isEqualTo(ValidationMode.WARN);
        assertThat(VALIDATION.modeOf("spine-nrl")).isEqualTo(ValidationMode.OFF);
        assertThat(VALIDATION.modeOf(null)).isEqualTo(ValidationMode.OFF);
    }

    @Test
    void anObservationWithoutStatusIsRefusedFromARejectingSourceWithTheErrorLocated() {
        WriteValidation.Decision decision = VALIDATION.decide("acute-integration", withoutStatus());

        assertThat(decision.refused()).isTrue();
        assertThat(decision.findings())
                .anyMatch(f ->
                        f.location().startsWith("Observation") && f.message().contains("Observation.status"));
    }

    @Test
    void theSameFromAWarningSourceIsWarnedAndFromAnotherNotLookedAt() {
        assertThat(VALIDATION.decide("gp-clinical-system", withoutStatus()))
                .satisfies(d -> assertThat(d.warned()).isTrue())
                .satisfies(d -> assertThat(d.refused()).isFalse());
        assertThat(VALIDATION.decide("spine-nrl", withoutStatus()).findings()).isEmpty();
    }

    @Test
    void aValidObservationIsNeitherRefusedNorWarned() {
        Observation valid = withoutStatus().setStatus(Observation.ObservationStatus.FINAL);
        WriteValidation.Decision decision = VALIDATION.decide("acute-integration", valid);

        assertThat(decision.findings()).isEmpty();
        assertThat(decision.refused()).isFalse();
    }

    @Test
    void aPatientClaimingTheTestbedsProfileWithoutItsGpIsRefusedAndTheSameClaimingNothingIsNot() {
        Patient unclaimed = patientWithoutGp();
        assertThat(VALIDATION.decide("acute-integration", unclaimed).findings()).isEmpty();

        Patient claimed = patientWithoutGp();
        claimed.getMeta().addProfile(LDR_PATIENT);
        WriteValidation.Decision decision = VALIDATION.decide("acute-integration", claimed);

        assertThat(decision.refused()).isTrue();
        assertThat(decision.findings()).anyMatch(f -> f.message().contains("generalPractitioner"));
    }

    @Test
    void aPatientMeetingTheTestbedsProfileIsWritten() {
        Patient claimed = patientWithoutGp();
        claimed.getMeta().addProfile(LDR_PATIENT);
        claimed.addGeneralPractitioner().setReference("Organization/SYNG09");

        assertThat(VALIDATION.decide("acute-integration", claimed).findings()).isEmpty();
    }

    @Test
    void manyFindingsAreCutToWhatAHeaderHoldsWithACountOfTheRest() {
        List<WriteValidation.Finding> many = java.util.stream.IntStream.range(0, 120)
                .mapToObj(i -> new WriteValidation.Finding(
                        "Observation.component[" + i + "]", "Observation.component.code: minimum required = 1"))
                .toList();

        List<WriteValidation.Finding> shown = WriteValidation.fitting(many, 4000);

        assertThat(shown.size()).isBetween(2, 60);
        assertThat(shown.getLast().message()).startsWith((120 - shown.size() + 1) + " more finding(s)");
        assertThat(shown.stream()
                        .mapToInt(f -> f.location().length() + f.message().length())
                        .sum())
                .isLessThan(4000);
        assertThat(WriteValidation.fitting(many.subList(0, 3), 4000)).isEqualTo(many.subList(0, 3));
    }

    private static final String LDR_PATIENT = "https://fhir.ldr-testbed.example/StructureDefinition/ldr-patient";

    static Patient patientWithoutGp() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000018");
        patient.addName().setFamily("Synthetic");
        return patient;
    }

    static Observation withoutStatus() {
        Observation observation = new Observation();
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        observation.getSubject().setReference("Patient/1");
        return observation;
    }
}
