package org.ldrtestbed.routes.childprotection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class CpIsPlanUploadTranslatorTest {

    private final CpIsPlanUploadTranslator translator = new CpIsPlanUploadTranslator();

    @Test
    void aPlanIsUploadedByNhsNumberWithItsTypeAndTheAuthoritysOdsCode() {
        CarePlan upload = translator.toUpload(plan(p -> {}));

        assertThat(upload.getIdElement().getIdPart()).isEqualTo("12");
        assertThat(upload.getCategoryFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo(CpIsPlanUploadTranslator.PLAN_TYPES);
        assertThat(upload.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("CPPI");
        assertThat(upload.getSubject().hasReference()).isFalse();
        assertThat(upload.getSubject().getIdentifier().getSystem()).isEqualTo("https://fhir.nhs.uk/Id/nhs-number");
        assertThat(upload.getSubject().getIdentifier().getValue()).isEqualTo("9990000018");
        assertThat(upload.getAuthor().getIdentifier().getSystem()).isEqualTo(CpIsPlanUploadTranslator.ODS);
        assertThat(upload.getAuthor().getIdentifier().getValue()).isEqualTo("SYNLA");
        assertThat(upload.getAuthor().getDisplay()).isEqualTo("Children's services duty desk");
        assertThat(upload.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-01-05");
        assertThat(upload.getIntent()).isEqualTo(CarePlan.CarePlanIntent.PLAN);
    }

    @Test
    void cpIsRefusesAPlanWithoutNhsNumberStartTypeOrAuthority() {
        assertThatThrownBy(() -> translator.toUpload(plan(p -> p.getSubject().setIdentifier(null))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("NHS number");
        assertThatThrownBy(() -> translator.toUpload(plan(p -> p.getPeriod().setStartElement(null))))
                .hasMessageContaining("period.start");
        assertThatThrownBy(() -> translator.toUpload(plan(p -> p.setAuthor(new Reference("Practitioner/3")))))
                .hasMessageContaining("local authority");
        assertThatThrownBy(() -> translator.toUpload(plan(p -> p.getCategory().clear())))
                .hasMessageContaining("CP-IS plan type");
    }

    private static CarePlan plan(Consumer<CarePlan> change) {
        CarePlan plan = new CarePlan();
        plan.setId("CarePlan/12");
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.addCategory()
                .addCoding(
                        new Coding(CpIsPlanUploadTranslator.PLAN_TYPES, "CPPI", "Child Protection Plan Information"));
        plan.setSubject(new Reference("Patient/5")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000018")));
        plan.getPeriod().setStartElement(new DateTimeType("2026-01-05"));
        plan.setAuthor(new Reference("Organization/SYNLA").setDisplay("Children's services duty desk"));
        change.accept(plan);
        return plan;
    }
}
