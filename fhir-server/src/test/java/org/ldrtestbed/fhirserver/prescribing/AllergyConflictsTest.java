package org.ldrtestbed.fhirserver.prescribing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class AllergyConflictsTest {

    private static final String SNOMED = "http://snomed.info/sct";

    private final AllergyConflicts conflicts =
            new AllergyConflicts(AllergenClasses.load(AllergenClasses.DEFAULT_LOCATION));

    @Test
    void amoxicillinConflictsWithAnAmoxicillinAllergy() {
        List<AllergyConflicts.Conflict> found =
                conflicts.conflicts(order("39732411000001106", "Amoxicillin 500mg capsules"), List.of(amoxicillin()));

        assertThat(found).singleElement().satisfies(c -> {
            assertThat(c.allergenClass().code()).isEqualTo("penicillins");
            assertThat(c.medication().getCode()).isEqualTo("39732411000001106");
        });
    }

    @Test
    void aPenicillinAllergyNamedAsAReactionSubstanceCountsForTheWholeClass() {
        AllergyIntolerance penicillin = new AllergyIntolerance();
        penicillin.setCode(new CodeableConcept().setText("Penicillin allergy"));
        penicillin.addReaction().setSubstance(new CodeableConcept(new Coding(SNOMED, "764146007", "Penicillin")));

        assertThat(conflicts.conflicts(order("39732311000001104", "Amoxicillin 250mg capsules"), List.of(penicillin)))
                .hasSize(1);
    }

    @Test
    void aMedicineOfAnotherClassDoesNotConflict() {
        assertThat(conflicts.conflicts(
                        order("41946511000001109", "Clarithromycin 500mg tablets"), List.of(amoxicillin())))
                .isEmpty();
    }

    @Test
    void onlyTheAllergiesGivenCount() {
        // The caller passes the allergies the prescriber may see: none given, no alert (and nothing to tell).
        assertThat(conflicts.conflicts(order("39732411000001106", "Amoxicillin 500mg capsules"), List.of()))
                .isEmpty();
    }

    @Test
    void refutedResolvedAndEnteredInErrorAllergiesDoNotCount() {
        for (String[] status : List.of(
                new String[] {"allergyintolerance-verification", "refuted"},
                new String[] {"allergyintolerance-verification", "entered-in-error"},
                new String[] {"allergyintolerance-clinical", "resolved"},
                new String[] {"allergyintolerance-clinical", "inactive"})) {
            AllergyIntolerance allergy = amoxicillin();
            CodeableConcept concept = new CodeableConcept(
                    new Coding("http://terminology.hl7.org/CodeSystem/" + status[0], status[1], null));
            if (status[0].endsWith("verification")) {
                allergy.setVerificationStatus(concept);
            } else {
                allergy.setClinicalStatus(concept);
            }
            assertThat(conflicts.conflicts(order("39732411000001106", "Amoxicillin 500mg capsules"), List.of(allergy)))
                    .as(status[1])
                    .isEmpty();
        }
    }

    @Test
    void onlyOrdersBeingPrescribedAreChecked() {
        MedicationRequest stopped = order("39732411000001106", "Amoxicillin 500mg capsules");
        stopped.setStatus(MedicationRequest.MedicationRequestStatus.STOPPED);

        assertThat(conflicts.isPrescribing(stopped)).isFalse();
        assertThat(conflicts.conflicts(stopped, List.of(amoxicillin()))).isEmpty();
    }

    @Test
    void theAlertImplicatesTheOrderAndTheAllergyAndIsHighSeverity() {
        AllergyConflicts.Conflict conflict = conflicts
                .conflicts(order("39732411000001106", "Amoxicillin 500mg capsules"), List.of(amoxicillin()))
                .getFirst();

        DetectedIssue issue = AllergyConflicts.detectedIssue(
                "MedicationRequest/7", "Patient/5", conflict, "AllergyIntolerance/3", new Date());

        assertThat(issue.getSeverity()).isEqualTo(DetectedIssue.DetectedIssueSeverity.HIGH);
        assertThat(issue.getCode().getCodingFirstRep().getCode()).isEqualTo("ALGY");
        assertThat(issue.getPatient().getReference()).isEqualTo("Patient/5");
        assertThat(issue.getImplicated())
                .extracting(Reference::getReference)
                .containsExactly("MedicationRequest/7", "AllergyIntolerance/3");
        assertThat(issue.getAuthor().getDisplay()).isEqualTo(AllergyConflicts.AUTHOR);
        assertThat(issue.getDetail())
                .isEqualTo("Amoxicillin 500mg capsules is one of the penicillins (beta-lactam antibacterials); the"
                        + " patient has a recorded allergy to Amoxicillin (Urticarial rash).");
    }

    private static MedicationRequest order(String code, String display) {
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setMedication(new CodeableConcept(new Coding(SNOMED, code, display)));
        order.setSubject(new Reference("Patient/5"));
        return order;
    }

    private static AllergyIntolerance amoxicillin() {
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.getClinicalStatus()
                .addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", null));
        allergy.setCode(new CodeableConcept(new Coding(SNOMED, "372687004", "Amoxicillin")));
        allergy.addReaction().addManifestation(new CodeableConcept(new Coding(SNOMED, "247472004", "Urticarial rash")));
        return allergy;
    }
}
