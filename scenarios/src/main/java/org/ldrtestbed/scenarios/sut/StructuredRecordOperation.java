package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * GP Connect-style structured record: {@code POST [base]/Patient/$gpc.getstructuredrecord} with {@code
 * patientNHSNumber} and the {@code includeAllergies} / {@code includeMedication} parts answers a collection Bundle of
 * the Patient and what was asked for (allergies; medication statements and requests), from the store. An unknown NHS number is 404. The {@link Fault} changes the
 * answer as it does a delivery's.
 */
public final class StructuredRecordOperation {

    public static final String NAME = "$gpc.getstructuredrecord";

    private final FhirContext fhir;
    private final Fault fault;
    private final Duration lateDelay;
    private final Hold hold;
    private final HashMapResourceProvider<Patient> patients;
    private final HashMapResourceProvider<AllergyIntolerance> allergies;
    private final HashMapResourceProvider<MedicationStatement> medications;
    private final HashMapResourceProvider<MedicationRequest> authorisations;

    StructuredRecordOperation(
            FhirContext fhir,
            Fault fault,
            Duration lateDelay,
            Hold hold,
            HashMapResourceProvider<Patient> patients,
            HashMapResourceProvider<AllergyIntolerance> allergies,
            HashMapResourceProvider<MedicationStatement> medications,
            HashMapResourceProvider<MedicationRequest> authorisations) {
        this.fhir = fhir;
        this.fault = fault;
        this.lateDelay = lateDelay;
        this.hold = hold;
        this.patients = patients;
        this.allergies = allergies;
        this.medications = medications;
        this.authorisations = authorisations;
    }

    /** The body is read whole: the include parameters are parts with parts, which typed parameters do not bind. */
    @Operation(name = NAME, type = Patient.class, idempotent = false)
    public IBaseResource getStructuredRecord(RequestDetails request) {
        hold.failOrStall(fault);
        Parameters parameters = parameters(request);
        Identifier asked = parameters.getParameter().stream()
                .filter(p -> "patientNHSNumber".equals(p.getName()) && p.getValue() instanceof Identifier)
                .map(p -> (Identifier) p.getValue())
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException("patientNHSNumber (valueIdentifier) is required"));
        if (!DischargeSummaryInbox.NHS_NUMBER.equals(asked.getSystem())) {
            throw new InvalidRequestException("patientNHSNumber.system must be " + DischargeSummaryInbox.NHS_NUMBER);
        }
        Patient patient = patients.getStoredResources().stream()
                .filter(p -> DischargeSummaryInbox.nhsNumberOf(p)
                        .map(i -> asked.getValue().equals(i.getValue()))
                        .orElse(false))
                .findFirst()
                .orElseThrow(() -> new ResourceNotFoundException(
                        "No patient with NHS number " + asked.getValue() + " is registered here"));
        Bundle record = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Patient answered = patient.copy();
        if (fault == Fault.WRONG_PATIENT) {
            DischargeSummaryInbox.nhsNumberOf(answered).ifPresent(i -> i.setValue(Fault.WRONG_NHS_NUMBER));
        }
        String base = request.getFhirServerBase();
        add(record, base, answered);
        String patientId = patient.getIdElement().getIdPart();
        if (parameters.getParameter("includeAllergies") != null) {
            ofPatient(allergies.getStoredResources(), AllergyIntolerance::getPatient, patientId)
                    .forEach(r -> add(record, base, r));
        }
        if (parameters.getParameter("includeMedication") != null) {
            ofPatient(medications.getStoredResources(), MedicationStatement::getSubject, patientId)
                    .forEach(r -> add(record, base, r));
            // GP Connect's medication section: the summary lines and the authorisations (requests) behind them.
            ofPatient(authorisations.getStoredResources(), MedicationRequest::getSubject, patientId)
                    .forEach(r -> add(record, base, r));
        }
        if (fault == Fault.LATE) {
            hold.pause(lateDelay);
        }
        return fault == Fault.INVALID ? DischargeSummaryInbox.notValidR4() : record;
    }

    private Parameters parameters(RequestDetails request) {
        if (request.getResource() instanceof Parameters parsed) {
            return parsed;
        }
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("a Parameters body is required");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        IBaseResource parsed =
                (text.stripLeading().startsWith("<") ? fhir.newXmlParser() : fhir.newJsonParser()).parseResource(text);
        if (!(parsed instanceof Parameters parameters)) {
            throw new InvalidRequestException("the body must be Parameters");
        }
        return parameters;
    }

    private static <T extends Resource> List<T> ofPatient(
            List<T> resources, Function<T, Reference> patientOf, String patientId) {
        return resources.stream()
                .filter(r -> "Patient"
                                .equals(patientOf.apply(r).getReferenceElement().getResourceType())
                        && patientId.equals(
                                patientOf.apply(r).getReferenceElement().getIdPart()))
                .toList();
    }

    /** The first code of an entry's coded concept (allergen, medicine), or its text; null when it has none. */
    static String firstCode(Resource resource) {
        CodeableConcept concept = switch (resource) {
            case AllergyIntolerance a -> a.getCode();
            case MedicationStatement m -> m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
            case MedicationRequest m -> m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
            default -> null;
        };
        if (concept == null) {
            return null;
        }
        return concept.getCoding().stream()
                .filter(c -> c.hasCode())
                .map(c -> c.getSystem() + "|" + c.getCode())
                .findFirst()
                .orElse(concept.hasText() ? concept.getText() : null);
    }

    /** The patient an entry is about, as a relative reference. */
    static java.util.Optional<String> patientOf(Resource resource) {
        Reference patient = switch (resource) {
            case AllergyIntolerance a -> a.getPatient();
            case MedicationStatement m -> m.getSubject();
            case MedicationRequest m -> m.getSubject();
            default -> null;
        };
        return patient == null || !patient.hasReference()
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                        patient.getReferenceElement().toUnqualifiedVersionless().getValue());
    }

    private static void add(Bundle record, String base, Resource resource) {
        record.addEntry()
                .setFullUrl(base + "/" + resource.getResourceType() + "/"
                        + resource.getIdElement().getIdPart())
                .setResource(resource);
    }
}
