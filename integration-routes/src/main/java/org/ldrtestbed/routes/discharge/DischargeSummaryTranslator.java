package org.ldrtestbed.routes.discharge;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Capability (e): checks the acute trust's discharge summary as the Transfer of Care standard shapes it (a FHIR
 * document Bundle whose first entry is a Composition of type 373942005, the patient by valid NHS number, the GP
 * practice and the sender by ODS code, earlier documents by identifier), and gives the document as it travels over
 * the MESH-like mailbox. The GP system's filing of it is {@link DischargeSummaryDelivery}'s.
 */
public final class DischargeSummaryTranslator {

    public static final String SNOMED = "http://snomed.info/sct";
    public static final String DISCHARGE_SUMMARY = "373942005";
    public static final String PLAN_SECTION = "887201000000105";
    public static final String PLAN_SECTION_UK_CORE = "plan-and-requested-actions";
    public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String TASK_ID_SYSTEM = "https://fhir.ldr-testbed.example/Id/requested-action";

    /**
     * The document as it travels.
     *
     * @param document the discharge summary as sent
     * @param documentJson the same document as JSON, kept verbatim in the GP's copy
     * @throws InvalidMessageException when the document cannot be carried as it stands
     */
    public DischargeDocument toDocument(Bundle document, String documentJson) {
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

        for (Composition.CompositionRelatesToComponent relation : composition.getRelatesTo()) {
            if (!(relation.getTarget() instanceof Identifier earlier) || !earlier.hasSystem() || !earlier.hasValue()) {
                throw new InvalidMessageException(
                        "Composition.relatesTo must identify the earlier document by its Bundle identifier");
            }
            if (relation.getCode() != Composition.DocumentRelationshipType.REPLACES
                    && relation.getCode() != Composition.DocumentRelationshipType.APPENDS) {
                throw new InvalidMessageException("Composition.relatesTo.code must be replaces or appends, not "
                        + relation.getCode().toCode());
            }
        }
        for (Composition.SectionComponent plan : plans(composition)) {
            for (Reference entry : plan.getEntry()) {
                if (resolve(document, entry, Resource.class).isEmpty()) {
                    throw new InvalidMessageException(
                            "A 'Plan and requested actions' entry does not resolve within the document");
                }
            }
        }
        return new DischargeDocument(document, documentJson, composition, nhsNumber, gpPractice, sender);
    }

    /** The document's "Plan and requested actions" sections (PRSB, or UK Core's code). */
    static List<Composition.SectionComponent> plans(Composition composition) {
        return composition.getSection().stream()
                .filter(s -> s.getCode().getCoding().stream()
                        .anyMatch(c -> PLAN_SECTION.equals(c.getCode()) || PLAN_SECTION_UK_CORE.equals(c.getCode())))
                .toList();
    }

    private static Optional<String> odsCode(Organization organization) {
        return organization.getIdentifier().stream()
                .filter(i -> ODS.equals(i.getSystem()))
                .map(Identifier::getValue)
                .findFirst();
    }

    /** Resolves a reference within the document by fullUrl (urn:uuid or relative). */
    static <T extends Resource> Optional<T> resolve(Bundle document, Reference reference, Class<T> type) {
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
