package org.ldrtestbed.routes.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SystemUnderTestTest {

    @Test
    void aBindingPrintedSaysItHasACredentialButNotWhatItIs() {
        SystemUnderTest gp = new SystemUnderTest(
                "my-gp",
                "discharge-summary",
                "SYNG09",
                SystemUnderTest.Direction.RECEIVES,
                SystemUnderTest.FHIR_REST,
                "https://gp.example/fhir",
                "Bearer synthetic-secret-token");

        assertThat(gp.toString())
                .doesNotContain("synthetic-secret-token")
                .contains("my-gp", "SYNG09", "(set, not shown)");
    }

    @Test
    void aReceiverWithNowhereToDeliverIsRefused() {
        assertThatThrownBy(() -> new SystemUnderTest(
                        "my-gp",
                        "discharge-summary",
                        "SYNG09",
                        SystemUnderTest.Direction.RECEIVES,
                        SystemUnderTest.FHIR_REST,
                        " ",
                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint");
    }
}
