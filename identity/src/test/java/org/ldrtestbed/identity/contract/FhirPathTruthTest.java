package org.ldrtestbed.identity.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class FhirPathTruthTest {

    private static final IFhirPath FHIRPATH = FhirContext.forR4Cached().newFhirPath();

    @Test
    void onlyABooleanTrueFirstItemIsTrue() {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        assertThat(FhirPathTruth.isTrue(FHIRPATH, o, "status = 'final'")).isTrue();
        assertThat(FhirPathTruth.isTrue(FHIRPATH, o, "status = 'amended'")).isFalse();
        // A value that is not a boolean, and an empty result, are not true.
        assertThat(FhirPathTruth.isTrue(FHIRPATH, o, "status")).isFalse();
        assertThat(FhirPathTruth.isTrue(FHIRPATH, o, "code.text")).isFalse();
    }
}
