package org.ldrtestbed.fhirserver.gpconnect;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.directory.DirectoryResources;
import org.ldrtestbed.identity.ActorIdentity;

/**
 * The structured record the simulated GP system answers: the Patient, and of the allergies and medication the caller
 * was shown, those the patient's registered GP practice recorded. The practice is the organisation {@code
 * Patient.generalPractitioner} names (by {@code Organization/<ODS>} or an ODS identifier), as the discharge summary
 * finds the GP to send to; an entry is the practice's when the server attributed its writing to the practice (its
 * {@code meta.source}, stamped from the writer's token, which no body can claim). Plain Java: what the caller may see
 * was decided before, by the searches that found the entries.
 */
public final class StructuredRecord {

    /** The types the record is gathered from: what the practice publishes as the GP summary (flow gp-summary). */
    public static final List<String> TYPES =
            List.of("Patient", "AllergyIntolerance", "MedicationStatement", "MedicationRequest");

    private final Function<Resource, Optional<String>> writerOrganisation;
    private final Predicate<ActorIdentity> unrestricted;
    private final BiPredicate<String, String> involved;

    /**
     * @param writerOrganisation the organisation the server attributed an entry's writing to
     * @param unrestricted whether the access policy leaves an actor's reads unfiltered (a system client)
     * @param involved whether an organisation (second) is involved in a patient's (first, by id) care
     */
    public StructuredRecord(
            Function<Resource, Optional<String>> writerOrganisation,
            Predicate<ActorIdentity> unrestricted,
            BiPredicate<String, String> involved) {
        this.writerOrganisation = writerOrganisation;
        this.unrestricted = unrestricted;
        this.involved = involved;
    }

    /**
     * Why a caller whose reads the policy does not filter may not pull this patient's record, if it may not. A GP
     * Connect consumer pulls for care it gives: a system client speaking for an organisation is answered only when
     * that organisation is the practice or is involved in the patient's care. Restricted callers (professionals,
     * patients) are decided entry by entry, as their searches are.
     */
    public Optional<String> refusal(ActorIdentity caller, String patientId, String practice) {
        String organisation = caller.organisation();
        if (!unrestricted.test(caller)
                || organisation == null
                || organisation.equals(practice)
                || involved.test(patientId, organisation)) {
            return Optional.empty();
        }
        return Optional.of("the system client of " + organisation
                + " is not involved in the patient's care: a structured record is pulled for care given");
    }

    /** The ODS code of the patient's registered GP practice, if the Patient names one. */
    public static Optional<String> practiceOf(Patient patient) {
        for (Reference gp : patient.getGeneralPractitioner()) {
            if (gp.hasIdentifier()
                    && DirectoryResources.ODS_ORGANISATION.equals(
                            gp.getIdentifier().getSystem())) {
                return Optional.ofNullable(gp.getIdentifier().getValue());
            }
            if ("Organization".equals(gp.getReferenceElement().getResourceType())
                    && gp.getReferenceElement().hasIdPart()) {
                return Optional.of(gp.getReferenceElement().getIdPart());
            }
        }
        return Optional.empty();
    }

    /**
     * The answer: a collection Bundle of the Patient and what was asked for of the practice's entries, each with its
     * full URL on this server.
     *
     * @param allergies the patient's AllergyIntolerances the caller was shown
     * @param medication the patient's MedicationStatements and MedicationRequests the caller was shown
     */
    public Bundle answer(
            String base,
            Patient patient,
            String practice,
            StructuredRecordRequest request,
            List<? extends Resource> allergies,
            List<? extends Resource> medication) {
        Bundle record = new Bundle().setType(Bundle.BundleType.COLLECTION);
        add(record, base, patient);
        if (request.allergies()) {
            allergies.stream()
                    .filter(r -> r instanceof AllergyIntolerance)
                    .map(AllergyIntolerance.class::cast)
                    .filter(a -> recordedBy(a, practice))
                    .filter(a -> !enteredInError(a.getVerificationStatus()))
                    .filter(a -> request.resolvedAllergies() || !resolved(a))
                    .forEach(a -> add(record, base, a));
        }
        if (request.medication()) {
            medication.stream()
                    .filter(r -> recordedBy(r, practice))
                    .filter(r -> !enteredInError(r))
                    .filter(r -> request.medicationFrom()
                            .map(from -> !endedBefore(r, from))
                            .orElse(true))
                    .forEach(r -> add(record, base, r));
        }
        return record;
    }

    private boolean recordedBy(Resource entry, String practice) {
        return writerOrganisation.apply(entry).map(practice::equals).orElse(false);
    }

    /** GP Connect leaves out what was entered in error. */
    private static boolean enteredInError(CodeableConcept status) {
        return status.getCoding().stream().anyMatch(c -> "entered-in-error".equals(c.getCode()));
    }

    private static boolean enteredInError(Resource medication) {
        return switch (medication) {
            case MedicationStatement s -> s.getStatus() == MedicationStatement.MedicationStatementStatus.ENTEREDINERROR;
            case MedicationRequest r -> r.getStatus() == MedicationRequest.MedicationRequestStatus.ENTEREDINERROR;
            default -> true; // not medication: never part of it
        };
    }

    private static boolean resolved(AllergyIntolerance allergy) {
        return allergy.getClinicalStatus().getCoding().stream()
                .anyMatch(c -> "resolved".equals(c.getCode()) || "inactive".equals(c.getCode()));
    }

    /**
     * Whether the medication ended before the date asked from: a statement's effective period (or date), a request's
     * validity period (or the day it was authored). One with no date, or no end, is current.
     */
    private static boolean endedBefore(Resource medication, LocalDate from) {
        Date last = switch (medication) {
            case MedicationStatement s when s.hasEffectivePeriod() -> end(s.getEffectivePeriod());
            case MedicationStatement s
            when s.hasEffectiveDateTimeType() -> s.getEffectiveDateTimeType().getValue();
            case MedicationRequest r
            when r.getDispenseRequest().hasValidityPeriod() ->
                end(r.getDispenseRequest().getValidityPeriod());
            case MedicationRequest r -> r.getAuthoredOn();
            default -> null;
        };
        return last != null
                && last.toInstant().atZone(ZoneOffset.UTC).toLocalDate().isBefore(from);
    }

    private static Date end(Period period) {
        return period.hasEnd() ? period.getEnd() : null;
    }

    private static void add(Bundle record, String base, Resource resource) {
        record.addEntry()
                .setFullUrl(base + "/" + resource.fhirType() + "/"
                        + resource.getIdElement().getIdPart())
                .setResource(resource);
    }
}
