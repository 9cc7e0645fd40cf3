package org.ldrtestbed.routes.prescribing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class PrescriptionsTest {

    @Test
    void eachPrescribingTypeNeedsItsIntent() {
        assertThatCode(() -> Prescriptions.check(prescription("acute", MedicationRequestIntent.ORDER)))
                .doesNotThrowAnyException();
        assertThatCode(() -> Prescriptions.check(prescription("continuous", MedicationRequestIntent.INSTANCEORDER)))
                .doesNotThrowAnyException();
        MedicationRequest repeatDispensing =
                prescription("continuous-repeat-dispensing", MedicationRequestIntent.ORIGINALORDER);
        assertThatThrownBy(() -> Prescriptions.check(repeatDispensing))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("numberOfRepeatsAllowed");
        repeatDispensing.getDispenseRequest().setNumberOfRepeatsAllowed(5);
        assertThatCode(() -> Prescriptions.check(repeatDispensing)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Prescriptions.check(prescription("acute", MedicationRequestIntent.INSTANCEORDER)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("acute is an order");
    }

    @Test
    void aPrescriptionWithoutANominatedPharmacyOrDmdCodeIsRefused() {
        MedicationRequest noPharmacy = prescription("acute", MedicationRequestIntent.ORDER);
        noPharmacy.getDispenseRequest().setPerformer(null);
        assertThatThrownBy(() -> Prescriptions.check(noPharmacy)).hasMessageContaining("nominated pharmacy");
        MedicationRequest textOnly = prescription("acute", MedicationRequestIntent.ORDER);
        textOnly.setMedication(new CodeableConcept().setText("metformin"));
        assertThatThrownBy(() -> Prescriptions.check(textOnly)).hasMessageContaining("dm+d");
    }

    @Test
    void shortFormIdIsStableWithAValidCheckCharacter() {
        String id = Prescriptions.shortFormId("1234", "SYNG09");
        assertThat(id)
                .matches("[0-9A-F]{6}-SYNG09-[0-9A-F]{5}[0-9A-Z+]")
                .isEqualTo(Prescriptions.shortFormId("1234", "SYNG09"));
        assertThat(Prescriptions.shortFormId("1235", "SYNG09")).isNotEqualTo(id);
        // ISO 7064 MOD 37-2: the weighted sum of the body plus the check character is 1 (mod 37).
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+";
        String body = id.replace("-", "").substring(0, 17);
        int total = 0;
        for (char c : body.toCharArray()) {
            total = (total + alphabet.indexOf(c)) * 2 % 37;
        }
        assertThat((total + alphabet.indexOf(id.charAt(id.length() - 1))) % 37).isEqualTo(1);
    }

    private static MedicationRequest prescription(String course, MedicationRequestIntent intent) {
        MedicationRequest request = new MedicationRequest();
        request.setIntent(intent);
        request.setCourseOfTherapyType(new CodeableConcept(new Coding(Prescriptions.COURSE, course, null)));
        request.setMedication(
                new CodeableConcept(new Coding("http://snomed.info/sct", "39113611000001102", "Metformin")));
        request.setRequester(new Reference("Practitioner/sds-900000000101"));
        request.getDispenseRequest().setPerformer(new Reference("Organization/SYNRX1"));
        return request;
    }
}
