package org.ldrtestbed.routes.discharge;

import java.nio.charset.StandardCharsets;
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
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.Supersession;

/**
 * Files a discharge summary document in the GP practice's record, as a GP system does on receipt: a DocumentReference
 * holding the document, and a Task for each requested action in "Plan and requested actions"; then an amended
 * summary leaves the one it replaces superseded. Receipt is idempotent: every created resource is conditional on an
 * identifier derived from the document's, so a redelivered document changes nothing.
 */
public final class DischargeSummaryDelivery implements FlowDelivery<DischargeDocument> {

    private static final String SNOMED = DischargeSummaryTranslator.SNOMED;
    private static final String DISCHARGE_SUMMARY = DischargeSummaryTranslator.DISCHARGE_SUMMARY;
    private static final String ODS = DischargeSummaryTranslator.ODS;
    private static final String TASK_ID_SYSTEM = DischargeSummaryTranslator.TASK_ID_SYSTEM;

    private final RecordDelivery gp;

    public DischargeSummaryDelivery(RecordDelivery gp) {
        this.gp = gp;
    }

    @Override
    public String deliver(DischargeDocument summary) {
        Bundle filing = gpFiling(summary);
        return RecordDelivery.summarise(gp.deliver(filing))
                + Supersession.supersedeReplaced(
                        (DocumentReference) filing.getEntryFirstRep().getResource(), gp);
    }

    /** The GP-side filing transaction: the DocumentReference first, then a Task per requested action. */
    public static Bundle gpFiling(DischargeDocument summary) {
        Bundle document = summary.document();
        Composition composition = summary.composition();
        Identifier documentId = document.getIdentifier();
        String nhsNumber = summary.nhsNumber();
        String gpPractice = summary.gpPractice();
        String sender = summary.sender();
        String documentJson = summary.json();
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
        DischargeSummaryTranslator.resolve(document, composition.getEncounter(), Encounter.class)
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
            // The translator let through only earlier documents by identifier, replaced or appended to.
            Identifier earlier = (Identifier) relation.getTarget();
            DocumentReference.DocumentRelationshipType type =
                    relation.getCode() == Composition.DocumentRelationshipType.REPLACES
                            ? DocumentReference.DocumentRelationshipType.REPLACES
                            : DocumentReference.DocumentRelationshipType.APPENDS;
            reference
                    .addRelatesTo()
                    .setCode(type)
                    .setTarget(new Reference(
                            "DocumentReference?identifier=" + earlier.getSystem() + "|" + earlier.getValue()));
        }
        add(filing, reference, "DocumentReference?identifier=" + documentId.getSystem() + "|" + documentId.getValue());

        int index = 0;
        for (Composition.SectionComponent plan : DischargeSummaryTranslator.plans(composition)) {
            for (Reference entry : plan.getEntry()) {
                index++;
                Resource action = DischargeSummaryTranslator.resolve(document, entry, Resource.class)
                        .orElseThrow();
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

    private static void add(Bundle transaction, Resource resource, String ifNoneExist) {
        transaction
                .addEntry()
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType())
                .setIfNoneExist(ifNoneExist.substring(ifNoneExist.indexOf('?') + 1));
    }
}
