package org.ldrtestbed.fhirserver.gpconnect;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.contract.Systems;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * {@code POST /fhir/Patient/$gpc.getstructuredrecord}: the simulated GP system answers GP Connect's Access Record
 * Structured pull ({@link StructuredRecord}). Every entry is found by a search made as the caller, so the access
 * policy filters and audits it as it does the caller's own searches: a patient finds only their own record, a reader
 * only what they may see, and nothing held or withheld is in the answer.
 */
public final class StructuredRecordProvider {

    public static final String NAME = "$gpc.getstructuredrecord";

    /** GP Connect's error codes (Spine-ErrorOrWarningCode), in the OperationOutcome of a refused request. */
    static final String ERROR_CODES = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";

    private static final int MOST = 1000;

    private final FhirContext fhir;
    private final DaoRegistry daos;
    private final StructuredRecord record;

    public StructuredRecordProvider(FhirContext fhir, DaoRegistry daos, StructuredRecord record) {
        this.fhir = fhir;
        this.daos = daos;
        this.record = record;
    }

    /** The body is read whole: the include parameters are parts with parts, which typed parameters do not bind. */
    @Operation(name = NAME, type = Patient.class, idempotent = false)
    public Bundle getStructuredRecord(RequestDetails request) {
        StructuredRecordRequest asked;
        try {
            asked = StructuredRecordRequest.of(parameters(request));
        } catch (StructuredRecordRequest.Invalid e) {
            throw error(new InvalidRequestException(e.getMessage()), e.code(), e.getMessage());
        }
        Patient patient = search(
                        "Patient",
                        SearchParameterMap.newSynchronous()
                                .add("identifier", new TokenParam(NhsNumber.SYSTEM, asked.nhsNumber())),
                        request)
                .stream()
                .filter(Patient.class::isInstance)
                .map(Patient.class::cast)
                .findFirst()
                // The same answer whether no such patient is registered or the caller may not see them; the number
                // is not repeated, so an answer carries no patient's number the caller is not shown.
                .orElseThrow(() -> notFound("No patient with the patientNHSNumber asked for is registered"));
        String patientId = patient.getIdElement().getIdPart();
        String practice = StructuredRecord.practiceOf(patient)
                .orElseThrow(() ->
                        notFound("The patient with the patientNHSNumber asked for is registered at no GP practice"));
        CurrentActor.get(request)
                .flatMap(caller -> record.refusal(caller, patientId, practice))
                .ifPresent(refused -> {
                    ForbiddenOperationException forbidden =
                            error(new ForbiddenOperationException(refused), "NO_RELATIONSHIP", refused);
                    // Coded as the access policy's own refusals are, too.
                    ((OperationOutcome) forbidden.getOperationOutcome())
                            .getIssueFirstRep()
                            .getDetails()
                            .addCoding()
                            .setSystem(Systems.DENIAL_REASONS)
                            .setCode(AccessDecision.Reason.NO_RELATIONSHIP.code());
                    throw forbidden;
                });
        List<Resource> allergies =
                asked.allergies() ? ofPatient("AllergyIntolerance", "patient", patientId, request) : List.of();
        List<Resource> medication = new ArrayList<>();
        if (asked.medication()) {
            medication.addAll(ofPatient("MedicationStatement", "subject", patientId, request));
            medication.addAll(ofPatient("MedicationRequest", "subject", patientId, request));
        }
        return record.answer(request.getFhirServerBase(), patient, practice, asked, allergies, medication);
    }

    private List<Resource> ofPatient(String type, String parameter, String patientId, RequestDetails request) {
        return search(
                type,
                SearchParameterMap.newSynchronous().add(parameter, new ReferenceParam("Patient/" + patientId)),
                request);
    }

    /** A search as the caller: the storage hooks show it only what the policy lets them see. */
    private List<Resource> search(String type, SearchParameterMap map, RequestDetails request) {
        map.setLoadSynchronousUpTo(MOST);
        return daos.getResourceDao(type).search(map, request).getResources(0, MOST).stream()
                .filter(Objects::nonNull)
                .map(Resource.class::cast)
                .toList();
    }

    private Parameters parameters(RequestDetails request) {
        if (request.getResource() instanceof Parameters parsed) {
            return parsed;
        }
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            throw new StructuredRecordRequest.Invalid("BAD_REQUEST", "a Parameters body is required");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        IBaseResource parsed;
        try {
            parsed = (text.stripLeading().startsWith("<") ? fhir.newXmlParser() : fhir.newJsonParser())
                    .parseResource(text);
        } catch (RuntimeException e) {
            throw new StructuredRecordRequest.Invalid("BAD_REQUEST", "the body is not FHIR: " + e.getMessage());
        }
        if (!(parsed instanceof Parameters parameters)) {
            throw new StructuredRecordRequest.Invalid("BAD_REQUEST", "the body must be Parameters");
        }
        return parameters;
    }

    private static ResourceNotFoundException notFound(String message) {
        return error(new ResourceNotFoundException(message), "PATIENT_NOT_FOUND", message);
    }

    private static <E extends BaseServerResponseException> E error(E exception, String code, String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(
                        exception.getStatusCode() == 404
                                ? OperationOutcome.IssueType.NOTFOUND
                                : exception.getStatusCode() == 403
                                        ? OperationOutcome.IssueType.FORBIDDEN
                                        : OperationOutcome.IssueType.INVALID)
                .setDiagnostics(message)
                .getDetails()
                .addCoding()
                .setSystem(ERROR_CODES)
                .setCode(code);
        exception.setOperationOutcome(outcome);
        return exception;
    }
}
