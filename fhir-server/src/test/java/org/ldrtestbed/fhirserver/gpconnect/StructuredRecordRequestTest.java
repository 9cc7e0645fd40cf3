package org.ldrtestbed.fhirserver.gpconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.NhsNumber;

/** GP Connect's request parameters: read as the reference GP system reads them, refused naming what is wrong. */
class StructuredRecordRequestTest {

    private static final String DOT = "9990000077";

    @Test
    void theIncludesAndTheirPartsAreRead() {
        Parameters parameters = asking(DOT);
        parameters
                .addParameter()
                .setName("includeAllergies")
                .addPart()
                .setName("includeResolvedAllergies")
                .setValue(new BooleanType(false));
        parameters
                .addParameter()
                .setName("includeMedication")
                .addPart()
                .setName("medicationSearchFromDate")
                .setValue(new DateType("2024-02-29"));

        StructuredRecordRequest request = StructuredRecordRequest.of(parameters);

        assertThat(request.nhsNumber()).isEqualTo(DOT);
        assertThat(request.allergies()).isTrue();
        assertThat(request.resolvedAllergies()).isFalse();
        assertThat(request.medication()).isTrue();
        assertThat(request.medicationFrom()).contains(LocalDate.of(2024, 2, 29));
    }

    @Test
    void anIncludeWithoutItsPartIncludesEverythingOfItsKindAndAnAbsentOneNothing() {
        Parameters parameters = asking(DOT);
        parameters.addParameter().setName("includeAllergies");

        StructuredRecordRequest request = StructuredRecordRequest.of(parameters);

        assertThat(request.allergies()).isTrue();
        assertThat(request.resolvedAllergies()).isTrue();
        assertThat(request.medication()).isFalse();
        assertThat(request.medicationFrom()).isEmpty();
    }

    @Test
    void anInvalidNhsNumberIsRefusedAsGpConnectDoes() {
        assertThatThrownBy(() -> StructuredRecordRequest.of(asking("9990000078")))
                .isInstanceOfSatisfying(
                        StructuredRecordRequest.Invalid.class,
                        e -> assertThat(e.code()).isEqualTo("INVALID_NHS_NUMBER"))
                .hasMessageContaining("9990000078");
    }

    @Test
    void eachMalformedParameterIsRefusedByName() {
        Parameters none = new Parameters();
        Parameters notIdentifier = new Parameters();
        notIdentifier.addParameter().setName("patientNHSNumber").setValue(new StringType(DOT));
        Parameters twice = asking(DOT);
        twice.addParameter().setName("patientNHSNumber").setValue(nhsNumber(DOT));
        Parameters badBoolean = asking(DOT);
        badBoolean
                .addParameter()
                .setName("includeAllergies")
                .addPart()
                .setName("includeResolvedAllergies")
                .setValue(new StringType("true"));
        Parameters strangePart = asking(DOT);
        strangePart.addParameter().setName("includeMedication").addPart().setName("includePrescriptionIssues");
        Parameters unknown = asking(DOT);
        unknown.addParameter().setName("includeProblems");

        assertInvalid(none, "patientNHSNumber (valueIdentifier) is required");
        assertInvalid(notIdentifier, "patientNHSNumber must be a valueIdentifier");
        assertInvalid(twice, "patientNHSNumber is given 2 times");
        assertInvalid(badBoolean, "includeAllergies.includeResolvedAllergies must be a valueBoolean");
        assertInvalid(strangePart, "includeMedication.includePrescriptionIssues is not a part");
        assertInvalid(unknown, "includeProblems is not a parameter");
    }

    private static void assertInvalid(Parameters parameters, String message) {
        assertThatThrownBy(() -> StructuredRecordRequest.of(parameters))
                .isInstanceOfSatisfying(
                        StructuredRecordRequest.Invalid.class,
                        e -> assertThat(e.code()).isEqualTo("INVALID_PARAMETER"))
                .hasMessageContaining(message);
    }

    private static Parameters asking(String nhsNumber) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("patientNHSNumber").setValue(nhsNumber(nhsNumber));
        return parameters;
    }

    private static Identifier nhsNumber(String value) {
        return new Identifier().setSystem(NhsNumber.SYSTEM).setValue(value);
    }
}
