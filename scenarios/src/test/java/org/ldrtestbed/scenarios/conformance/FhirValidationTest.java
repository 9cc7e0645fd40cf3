package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FhirValidationTest {

    private static final FhirValidation VALIDATION = new FhirValidation(FhirContext.forR4Cached());

    @Test
    void theShippedDischargeSummaryHasNoErrors() throws IOException {
        List<FhirValidation.Issue> issues = VALIDATION.validate(sample());
        assertThat(issues).noneMatch(FhirValidation.Issue::isError);
    }

    @Test
    void aBrokenDocumentIsFlaggedWhereItBreaks() throws IOException {
        // Bundle.type is required (1..1); an unknown element is an error too.
        String broken = sample().replaceFirst("\"type\"\\s*:\\s*\"document\"", "\"typo\": \"document\"");
        List<FhirValidation.Issue> issues = VALIDATION.validate(broken);
        assertThat(issues).anyMatch(i -> i.isError() && i.location().startsWith("Bundle"));
    }

    @Test
    void anOperationOutcomeWithoutIssueIsAnError() {
        List<FhirValidation.Issue> issues = VALIDATION.validate("{\"resourceType\":\"OperationOutcome\"}");
        assertThat(issues).anyMatch(i -> i.isError() && i.message().contains("issue"));
    }

    @Test
    void textThatIsNotFhirIsOneFatalFinding() {
        assertThat(VALIDATION.validate("<html>502 Bad Gateway</html>"))
                .singleElement()
                .satisfies(i -> assertThat(i.isError()).isTrue());
    }

    static String sample() throws IOException {
        try (InputStream in =
                FhirValidationTest.class.getClassLoader().getResourceAsStream("fhir/samples/discharge-summary.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
