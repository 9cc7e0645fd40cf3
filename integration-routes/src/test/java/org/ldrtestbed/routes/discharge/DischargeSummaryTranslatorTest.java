package org.ldrtestbed.routes.discharge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.springframework.core.io.ClassPathResource;

class DischargeSummaryTranslatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String DOC_ID = "8b2d4c1e-0000-4000-8000-00000000abcd";

    private final DischargeSummaryTranslator translator = new DischargeSummaryTranslator();

    /** The document as the translator passes it, filed as the GP system files it. */
    private Bundle file(Bundle document, String json) {
        return DischargeSummaryDelivery.gpFiling(translator.toDocument(document, json));
    }

    @Test
    void theSummaryTravelsAsAFhirDocumentWithItsCompositionAndPlanSection() {
        DischargeDocument summary = translator.toDocument(document(b -> {}), "{}");

        assertThat(summary.document().getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
        assertThat(summary.composition().getType().getCodingFirstRep().getSystem())
                .isEqualTo(DischargeSummaryTranslator.SNOMED);
        assertThat(summary.composition().getType().getCodingFirstRep().getCode())
                .isEqualTo(DischargeSummaryTranslator.DISCHARGE_SUMMARY);
        assertThat(DischargeSummaryTranslator.plans(summary.composition()))
                .singleElement()
                .satisfies(plan -> assertThat(plan.getEntry()).hasSize(1));
        assertThat(summary.nhsNumber()).isEqualTo("9990000077");
        assertThat(summary.gpPractice()).isEqualTo("SYNG09");
        assertThat(summary.sender()).isEqualTo("SYNAC");
    }

    @Test
    void filesTheDocumentAtThePatientsGpWithATaskPerRequestedAction() {
        Bundle document = document(b -> {});

        Bundle filing = file(document, "{}");

        assertThat(filing.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(filing.getEntry()).hasSize(2);
        DocumentReference reference =
                (DocumentReference) filing.getEntry().get(0).getResource();
        assertThat(reference.getCustodian().getReference())
                .isEqualTo("Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|SYNG09");
        assertThat(reference.getAuthorFirstRep().getReference()).endsWith("|SYNAC");
        assertThat(reference.getSubject().getReference())
                .isEqualTo("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000077");
        assertThat(reference.getMasterIdentifier().getValue()).isEqualTo("urn:uuid:" + DOC_ID);
        assertThat(reference.getContext().getPeriod().getEndElement().getValueAsString())
                .isEqualTo("2026-01-20T09:30:00Z");
        assertThat(new String(reference.getContentFirstRep().getAttachment().getData(), StandardCharsets.UTF_8))
                .isEqualTo("{}");
        // Idempotent receipt: conditional on the document's own identifier.
        assertThat(filing.getEntry().get(0).getRequest().getIfNoneExist())
                .isEqualTo("identifier=urn:ietf:rfc:3986|urn:uuid:" + DOC_ID);

        Task task = (Task) filing.getEntry().get(1).getResource();
        assertThat(task.getDescription()).isEqualTo("Please reduce prednisolone to 20 mg daily in one week");
        assertThat(task.getOwner().getReference()).endsWith("|SYNG09");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        // Due when the plan says the change starts: the GP's worklist shows when to act, not only what.
        assertThat(task.getRestriction().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2026-01-27");
        assertThat(filing.getEntry().get(1).getRequest().getIfNoneExist()).endsWith("|" + "urn:uuid:" + DOC_ID + "-1");
    }

    @Test
    void refusesAnInvalidNhsNumber() {
        Bundle document = document(b -> patient(b).getIdentifierFirstRep().setValue("9990000019"));

        assertThatThrownBy(() -> translator.toDocument(document, "{}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("Modulus 11");
    }

    @Test
    void refusesADocumentWithoutAGpPractice() {
        Bundle document = document(b -> patient(b).getGeneralPractitioner().clear());

        assertThatThrownBy(() -> translator.toDocument(document, "{}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("generalPractitioner");
    }

    @Test
    void refusesAGpPracticeWithoutAnOdsCode() {
        Bundle document = document(b -> ((Organization) b.getEntry().get(3).getResource())
                .getIdentifier()
                .clear());

        assertThatThrownBy(() -> translator.toDocument(document, "{}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("ODS code");
    }

    @Test
    void refusesAnotherKindOfDocument() {
        Bundle document = document(b -> ((Composition) b.getEntryFirstRep().getResource())
                .getType()
                .getCodingFirstRep()
                .setCode("371531000"));

        assertThatThrownBy(() -> translator.toDocument(document, "{}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("373942005");
    }

    @Test
    void anAmendedSummarySaysWhichItReplacesAndAResultsLetterWhichItAppends() {
        Bundle amended = document(b -> composition(b)
                .addRelatesTo()
                .setCode(Composition.DocumentRelationshipType.REPLACES)
                .setTarget(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:earlier")));
        DocumentReference reference =
                (DocumentReference) file(amended, "{}").getEntryFirstRep().getResource();
        assertThat(reference.getRelatesToFirstRep().getCode())
                .isEqualTo(DocumentReference.DocumentRelationshipType.REPLACES);
        assertThat(reference.getRelatesToFirstRep().getTarget().getReference())
                .isEqualTo("DocumentReference?identifier=urn:ietf:rfc:3986|urn:uuid:earlier");

        Bundle results = document(b -> composition(b)
                .addRelatesTo()
                .setCode(Composition.DocumentRelationshipType.APPENDS)
                .setTarget(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:earlier")));
        assertThat(((DocumentReference) file(results, "{}").getEntryFirstRep().getResource())
                        .getRelatesToFirstRep()
                        .getCode())
                .isEqualTo(DocumentReference.DocumentRelationshipType.APPENDS);

        Bundle byReference = document(b -> composition(b)
                .addRelatesTo()
                .setCode(Composition.DocumentRelationshipType.REPLACES)
                .setTarget(new Reference("Composition/1")));
        assertThatThrownBy(() -> translator.toDocument(byReference, "{}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("Bundle identifier");
    }

    @Test
    void refusesABundleThatIsNotADocument() {
        Bundle document = document(b -> b.setType(Bundle.BundleType.COLLECTION));

        assertThatThrownBy(() -> translator.toDocument(document, "{}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("document");
    }

    private static Composition composition(Bundle document) {
        return (Composition) document.getEntry().get(0).getResource();
    }

    private static Patient patient(Bundle document) {
        return (Patient) document.getEntry().get(1).getResource();
    }

    private static Bundle document(Consumer<Bundle> change) {
        try {
            String json = new ClassPathResource("fhir/samples/discharge-summary.json")
                    .getContentAsString(StandardCharsets.UTF_8)
                    .replace("${NHS}", "9990000077")
                    .replace("${DOC_ID}", DOC_ID);
            Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, json);
            change.accept(bundle);
            return bundle;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
