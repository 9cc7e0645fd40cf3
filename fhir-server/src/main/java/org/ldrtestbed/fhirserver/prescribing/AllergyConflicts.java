package org.ldrtestbed.fhirserver.prescribing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.fhirserver.prescribing.AllergenClasses.AllergenClass;

/**
 * Decides whether a prescription conflicts with the patient's allergies: the medicine is in an allergen class, and an
 * active, not refuted allergy names one of that class's substances (as its code or a reaction's substance). Only the
 * allergies it is given count: the caller passes those the prescriber may see. Plain Java.
 */
public final class AllergyConflicts {

    public static final String SNOMED = "http://snomed.info/sct";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /** Who raises the alert: the prescribing check, not a person. */
    public static final String AUTHOR = "Prescribing allergy check (ldr-testbed shared care record)";

    private static final Set<MedicationRequest.MedicationRequestStatus> PRESCRIBING = Set.of(
            MedicationRequest.MedicationRequestStatus.DRAFT,
            MedicationRequest.MedicationRequestStatus.ACTIVE,
            MedicationRequest.MedicationRequestStatus.ONHOLD);

    private final AllergenClasses classes;

    public AllergyConflicts(AllergenClasses classes) {
        this.classes = classes;
    }

    /**
     * One conflict.
     *
     * @param allergy the allergy the prescription conflicts with
     * @param allergenClass the class the medicine and the allergy's substance share
     * @param medication the prescribed medicine's code
     */
    public record Conflict(AllergyIntolerance allergy, AllergenClass allergenClass, Coding medication) {}

    /** Whether a write of this prescription is one to check: being prescribed, not a record of the past. */
    public boolean isPrescribing(MedicationRequest request) {
        return request.hasStatus()
                && PRESCRIBING.contains(request.getStatus())
                && request.hasMedicationCodeableConcept();
    }

    public List<Conflict> conflicts(MedicationRequest request, List<AllergyIntolerance> allergies) {
        List<Conflict> conflicts = new ArrayList<>();
        if (!isPrescribing(request)) {
            return conflicts;
        }
        for (Coding medication : snomed(request.getMedicationCodeableConcept()).toList()) {
            for (AllergenClass allergenClass : classes.classes()) {
                if (!allergenClass.hasMedication(medication.getCode())) {
                    continue;
                }
                for (AllergyIntolerance allergy : allergies) {
                    if (counts(allergy)
                            && substances(allergy).anyMatch(c -> allergenClass.hasSubstance(c.getCode()))
                            && conflicts.stream().noneMatch(c -> c.allergy() == allergy)) {
                        conflicts.add(new Conflict(allergy, allergenClass, medication));
                    }
                }
            }
        }
        return conflicts;
    }

    /**
     * The alert a conflict raises, as the record keeps it: a high-severity allergy alert (v3 ActCode ALGY) that
     * implicates the prescription and the allergy, authored by the prescribing check itself.
     */
    public static DetectedIssue detectedIssue(
            String prescription, String patient, Conflict conflict, String allergy, java.util.Date when) {
        AllergyIntolerance recorded = conflict.allergy();
        String substance = recorded.getCode().hasText()
                ? recorded.getCode().getText()
                : snomed(recorded.getCode()).map(Coding::getDisplay).findFirst().orElse("a substance");
        String reactions = recorded.getReaction().stream()
                .flatMap(r -> r.getManifestation().stream())
                .flatMap(m -> m.getCoding().stream())
                .map(Coding::getDisplay)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .collect(java.util.stream.Collectors.joining(", "));
        DetectedIssue issue = new DetectedIssue();
        issue.setStatus(DetectedIssue.DetectedIssueStatus.FINAL);
        issue.setCode(
                new CodeableConcept(new Coding(ACT_CODE, "ALGY", "Allergy Alert")).setText("Drug-allergy interaction"));
        issue.setSeverity(DetectedIssue.DetectedIssueSeverity.HIGH);
        issue.setPatient(new Reference(patient));
        issue.setIdentified(new DateTimeType(when));
        issue.setAuthor(new Reference().setDisplay(AUTHOR));
        issue.addImplicated(new Reference(prescription));
        issue.addImplicated(new Reference(allergy));
        issue.setDetail(
                (conflict.medication().hasDisplay() ? conflict.medication().getDisplay() : "The medicine")
                        + " is one of the " + conflict.allergenClass().title().toLowerCase(java.util.Locale.ROOT)
                        + "; the patient has a recorded allergy to " + substance
                        + (reactions.isEmpty() ? "" : " (" + reactions + ")") + ".");
        return issue;
    }

    /** An allergy counts unless it is inactive or resolved, refuted, or entered in error. */
    private static boolean counts(AllergyIntolerance allergy) {
        boolean inactive = allergy.getClinicalStatus().getCoding().stream()
                .anyMatch(c -> "inactive".equals(c.getCode()) || "resolved".equals(c.getCode()));
        boolean refuted = allergy.getVerificationStatus().getCoding().stream()
                .anyMatch(c -> "refuted".equals(c.getCode()) || "entered-in-error".equals(c.getCode()));
        return !inactive && !refuted;
    }

    private static Stream<Coding> substances(AllergyIntolerance allergy) {
        return Stream.concat(
                snomed(allergy.getCode()), allergy.getReaction().stream().flatMap(r -> snomed(r.getSubstance())));
    }

    private static Stream<Coding> snomed(CodeableConcept concept) {
        return concept == null
                ? Stream.empty()
                : concept.getCoding().stream().filter(c -> SNOMED.equals(c.getSystem()) && c.hasCode());
    }
}
