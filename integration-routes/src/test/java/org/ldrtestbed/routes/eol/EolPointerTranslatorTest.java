package org.ldrtestbed.routes.eol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class EolPointerTranslatorTest {

    private final EolPointerTranslator translator = new EolPointerTranslator();

    @Test
    void anEndOfLifePlanGetsAnNrlStylePointerKeptByItsAuthor() {
        DocumentReference pointer = translator.toPointer(plan(p -> {}));
        Bundle filing = EolPointerDelivery.filing(pointer);

        assertThat(pointer.getType().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
        assertThat(pointer.getType().getCodingFirstRep().getCode()).isEqualTo("861421000000109");
        assertThat(pointer.getMasterIdentifier().getSystem()).isEqualTo(EolPointerTranslator.POINTER_SYSTEM);
        assertThat(pointer.getMasterIdentifier().getValue()).isEqualTo("31");
        assertThat(pointer.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT);
        assertThat(pointer.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("734163000");
        assertThat(pointer.getCustodian().getReference()).isEqualTo("Organization/SYNG09");
        assertThat(pointer.getSubject().getIdentifier().getValue()).isEqualTo("9990000069");
        assertThat(pointer.getContentFirstRep().getAttachment().getUrl()).isEqualTo("CarePlan/31");
        assertThat(pointer.getRelatesTo()).isEmpty();
        assertThat(filing.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + EolPointerTranslator.POINTER_SYSTEM + "|31");
    }

    @Test
    void aPlanThatReplacesAnotherSaysSoInItsPointer() {
        DocumentReference pointer = translator.toPointer(plan(p -> p.addReplaces(new Reference("CarePlan/30"))));

        assertThat(pointer.getRelatesToFirstRep().getCode())
                .isEqualTo(DocumentReference.DocumentRelationshipType.REPLACES);
        assertThat(pointer.getRelatesToFirstRep().getTarget().getReference())
                .isEqualTo("DocumentReference?identifier=" + EolPointerTranslator.POINTER_SYSTEM + "|30");
    }

    @Test
    void aPointerNeedsAValidNhsNumberAndAnAuthor() {
        assertThatThrownBy(() -> translator.toPointer(plan(p -> p.getSubject().setIdentifier(null))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("NHS number");
        assertThatThrownBy(() -> translator.toPointer(plan(p -> p.setAuthor(null))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("author");
    }

    private static CarePlan plan(Consumer<CarePlan> change) {
        CarePlan plan = new CarePlan();
        plan.setId("CarePlan/31");
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.addCategory().addCoding().setSystem("http://snomed.info/sct").setCode("736373009");
        plan.setSubject(new Reference("Patient/7")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000069")));
        plan.setAuthor(new Reference("Organization/SYNG09"));
        plan.setCreated(new Date());
        plan.setTitle("End of life care plan (synthetic)");
        change.accept(plan);
        return plan;
    }
}
