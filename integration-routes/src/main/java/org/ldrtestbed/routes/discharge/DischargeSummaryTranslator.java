package org.ldrtestbed.routes.discharge;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Files a discharge summary document in the GP practice's record, as a GP system does on receipt: a DocumentReference
 * holding the document, and a Task for each requested action in "Plan and requested actions". Receipt is idempotent:
 * every created resource is conditional on an identifier derived from the document's, so a redelivered document
 * changes nothing.
 */
public final class DischargeSummaryTranslator {

    public static final String SNOMED = "http://snomed.info/sct";
    public static final String DISCHARGE_SUMMARY = "373942005";
    public static final String PLAN_SECTION = "887201000000105";
    public static final String PLAN_SECTION_UK_CORE = "plan-and-requested-actions";
    public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String TASK_ID_SYSTEM = "https://fhir.ldr-testbed.example/Id/requested-action";

    /**
     * Builds the GP-side filing transaction.
     *
     * @param document the discharge summary as sent
     * @param documentJson the same document as JSON, kept verbatim in the GP's copy
     * @throws InvalidMessageException when the document cannot be filed as it stands
     */
    public Bundle toGpFiling(Bundle document, String documentJson) {
        if (document.getType() != Bundle.BundleType.DOCUMENT) {
            throw new InvalidMessageException("Bundle.type must be 'document', was " + document.getType());
        }
        Identifier documentId = document.getIdentifier();
        if (documentId == null || !documentId.hasSystem() || !documentId.hasValue()) {
            throw new InvalidMessageException("The document Bundle has no identifier (system and value)");
        }
        if (document.getEntry().isEmpty()
                || !(document.getEntryFirstRep().getResource() instanceof Composition composition)) {
            throw new InvalidMessageException("The first entry of a document Bundle must be a Composition");
        }
        if (composition.getType().getCoding().stream()
                .noneMatch(c -> SNOMED.equals(c.getSystem()) && DISCHARGE_SUMMARY.equals(c.getCode()))) {
            throw new InvalidMessageException("Composition.type is not SNOMED 373942005 (Discharge summary)");
        }
        Patient patient = resolve(document, composition.getSubject(), Patient.class)
                .orElseThrow(() -> new InvalidMessageException("Composition.subject does not resolve to a Patient"));
        String nhsNumber = patient.getIdentifier().stream()
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException("The Patient has no NHS number"));
        if (!NhsNumber.isValid(nhsNumber)) {
            throw new InvalidMessageException("NHS number " + nhsNumber + " fails the Modulus 11 check");
        }
        String gpPractice = patient.getGeneralPractitioner().stream()
                .map(r -> resolve(document, r, Organization.class))
                .flatMap(Optional::stream)
                .map(DischargeSummaryTranslator::odsCode)
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException(
                        "Patient.generalPractitioner does not name a GP practice with an ODS code"));
        String sender = resolve(document, composition.getCustodian(), Organization.class)
                .flatMap(DischargeSummaryTranslator::odsCode)
                .orElseThrow(() -> new InvalidMessageException(
                        "Composition.custodian does not name an organisation with an ODS code"));

        Reference subject = new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber);
        Reference gp = new Reference("Organization?identifier=" + ODS + "|" + gpPractice);
        Reference author = new Reference("Organization?identifier=" + ODS + "|" + sender);

        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        DocumentReference reference = new DocumentReference();
        reference.setMasterIdentifier(documentId.copy());
        reference.addIdentifier(documentId.copy());
        reference.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        reference.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
        reference.setType(composition.getType().copy());
        reference.setSubject(subject);
        reference.setDate(composition.getDate());
        reference.addAuthor(author);
        reference.setCustodian(gp);
        reference.setDescription(composition.getTitle());
        resolve(document, composition.getEncounter(), Encounter.class)
                .filter(Encounter::hasPeriod)
                .ifPresent(e -> reference.getContext().setPeriod(e.getPeriod().copy()));
        reference
                .addContent()
                .setAttachment(new Attachment()
                        .setContentType("application/fhir+json")
                        .setTitle(composition.getTitle())
                        .setData(documentJson.getBytes(StandardCharsets.UTF_8)));
        // An amended summary replaces the one sent before; a results letter appends to it ("results to follow").
        for (Composition.CompositionRelatesToComponent relation : composition.getRelatesTo()) {
            if (!(relation.getTarget() instanceof Identifier earlier) || !earlier.hasSystem() || !earlier.hasValue()) {
                throw new InvalidMessageException(
                        "Composition.relatesTo must identify the earlier document by its Bundle identifier");
            }
            DocumentReference.DocumentRelationshipType type = switch (relation.getCode()) {
                case REPLACES -> DocumentReference.DocumentRelationshipType.REPLACES;
                case APPENDS -> DocumentReference.DocumentRelationshipType.APPENDS;
                default ->
                    throw new InvalidMessageException("Composition.relatesTo.code must be replaces or"
                            + " appends, not " + relation.getCode().toCode());
            };
            reference
                    .addRelatesTo()
                    .setCode(type)
                    .setTarget(new Reference(
                            "DocumentReference?identifier=" + earlier.getSystem() + "|" + earlier.getValue()));
        }
        add(filing, reference, "DocumentReference?identifier=" + documentId.getSystem() + "|" + documentId.getValue());

        List<Composition.SectionComponent> plans = composition.getSection().stream()
                .filter(s -> s.getCode().getCoding().stream()
                        .anyMatch(c -> PLAN_SECTION.equals(c.getCode()) || PLAN_SECTION_UK_CORE.equals(c.getCode())))
                .toList();
        int index = 0;
        for (Composition.SectionComponent plan : plans) {
            for (Reference entry : plan.getEntry()) {
                index++;
                Resource action = resolve(document, entry, Resource.class)
                        .orElseThrow(() -> new InvalidMessageException(
                                "A 'Plan and requested actions' entry does not resolve within the document"));
                Task task = new Task();
                task.addIdentifier(
                        new Identifier().setSystem(TASK_ID_SYSTEM).setValue(documentId.getValue() + "-" + index));
                task.setStatus(Task.TaskStatus.REQUESTED);
                task.setIntent(Task.TaskIntent.ORDER);
                task.setCode(new CodeableConcept(new Coding(SNOMED, DISCHARGE_SUMMARY, "Discharge summary")));
                task.setDescription(describe(action));
                task.setFor(subject);
                task.setOwner(gp);
                task.setRequester(author);
                task.setAuthoredOn(composition.getDate());
                dueFrom(action)
                        .ifPresent(due -> task.getRestriction().getPeriod().setStartElement(due));
                add(
                        filing,
                        task,
                        "Task?identifier=" + TASK_ID_SYSTEM + "|"
                                + task.getIdentifierFirstRep().getValue());
            }
        }
        return filing;
    }

    /** When the requested action is due: the start the plan gives (a dose change's timing, a review's occurrence). */
    private static java.util.Optional<org.hl7.fhir.r4.model.DateTimeType> dueFrom(Resource action) {
        return switch (action) {
            case MedicationRequest request ->
                request.getDosageInstruction().stream()
                        .filter(d -> d.getTiming().getRepeat().hasBoundsPeriod()
                                && d.getTiming().getRepeat().getBoundsPeriod().hasStart())
                        .map(d -> d.getTiming().getRepeat().getBoundsPeriod().getStartElement())
                        .findFirst();
            case ServiceRequest request
            when request.hasOccurrencePeriod() && request.getOccurrencePeriod().hasStart() ->
                java.util.Optional.of(request.getOccurrencePeriod().getStartElement());
            case ServiceRequest request
            when request.hasOccurrenceDateTimeType() -> java.util.Optional.of(request.getOccurrenceDateTimeType());
            default -> java.util.Optional.empty();
        };
    }

    private static String describe(Resource action) {
        return switch (action) {
            case MedicationRequest request
            when request.hasNote() -> request.getNoteFirstRep().getText();
            case MedicationRequest request ->
                "Medication request: " + request.getMedicationCodeableConcept().getText();
            case ServiceRequest request
            when request.hasNote() -> request.getNoteFirstRep().getText();
            case ServiceRequest request -> request.getCode().getText();
            default -> action.fhirType() + " requested in the discharge summary";
        };
    }

    private static Optional<String> odsCode(Organization organization) {
        return organization.getIdentifier().stream()
                .filter(i -> ODS.equals(i.getSystem()))
                .map(Identifier::getValue)
                .findFirst();
    }

    private static void add(Bundle transaction, Resource resource, String ifNoneExist) {
        transaction
                .addEntry()
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType())
                .setIfNoneExist(ifNoneExist.substring(ifNoneExist.indexOf('?') + 1));
    }

    /** Resolves a reference within the document by fullUrl (urn:uuid or relative). */
    private static <T extends Resource> Optional<T> resolve(Bundle document, Reference reference, Class<T> type) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        String target = reference.getReference();
        return document.getEntry().stream()
                .filter(e -> target.equals(e.getFullUrl())
                        || (e.getResource() != null
                                && e.getResource().hasIdElement()
                                && target.equals(e.getResource()
                                        .getIdElement()
                                        .toUnqualifiedVersionless()
                                        .getValue())))
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst();
    }
}
