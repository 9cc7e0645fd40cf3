package org.ldrtestbed.routes.eol;

import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (h): the pointer to an end-of-life care plan, in the shape of a National Record Locator
 * DocumentReference (type 861421000000109 "End of life care coordination summary", category 734163000 "Care plan"),
 * so that 111, ambulance and emergency departments find the current plan. A plan that replaces another gets a
 * pointer that says so. The pointer is identified by the plan's id (masterIdentifier), which makes its filing
 * idempotent.
 */
public final class EolPointerTranslator {

    public static final String SNOMED = "http://snomed.info/sct";
    public static final String EOL_CARE_PLAN = "736373009";
    public static final String EOL_COORDINATION_SUMMARY = "861421000000109";
    public static final String CARE_PLAN_CATEGORY = "734163000";
    public static final String POINTER_SYSTEM = "https://fhir.ldr-testbed.example/Id/nrl-pointer";

    public DocumentReference toPointer(CarePlan plan) {
        String id = plan.getIdElement().getIdPart();
        if (id == null) {
            throw new InvalidMessageException("The care plan has no id in the record it was written to");
        }
        Identifier nhs = PatientReferences.nhsNumber(
                plan.getSubject(),
                "A pointer is found by NHS number: CarePlan.subject.identifier must hold a valid one");
        if (!plan.hasAuthor()) {
            throw new InvalidMessageException("CarePlan.author must name the organisation that keeps the plan");
        }

        DocumentReference pointer = new DocumentReference();
        pointer.setMasterIdentifier(new Identifier().setSystem(POINTER_SYSTEM).setValue(id));
        pointer.addIdentifier(pointer.getMasterIdentifier().copy());
        pointer.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        pointer.setType(new CodeableConcept(
                new Coding(SNOMED, EOL_COORDINATION_SUMMARY, "End of life care coordination summary")));
        pointer.addCategory(new CodeableConcept(new Coding(SNOMED, CARE_PLAN_CATEGORY, "Care plan")));
        pointer.setSubject(new Reference(plan.getSubject().getReference()).setIdentifier(nhs.copy()));
        pointer.setCustodian(plan.getAuthor().copy());
        pointer.addAuthor(plan.getAuthor().copy());
        if (plan.hasCreated()) {
            pointer.setDate(plan.getCreated());
        }
        pointer.setDescription(plan.hasTitle() ? plan.getTitle() : "End of life care plan");
        pointer.getContext().addRelated(new Reference("CarePlan/" + id));
        pointer.addContent()
                .setAttachment(new Attachment()
                        .setContentType("application/fhir+json")
                        .setUrl("CarePlan/" + id)
                        .setTitle(pointer.getDescription()));
        for (Reference replaced : plan.getReplaces()) {
            pointer.addRelatesTo()
                    .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                    .setTarget(new Reference("DocumentReference?identifier=" + POINTER_SYSTEM + "|"
                            + replaced.getReferenceElement().getIdPart()));
        }
        return pointer;
    }
}
