package org.ldrtestbed.scenarios.reference;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;

class FlowReferenceTest {

    private final FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);

    private static Task referral(String ubrn) {
        Task task = new Task();
        task.addIdentifier().setSystem("https://fhir.nhs.uk/Id/UBRN").setValue(ubrn);
        task.setDescription("e-RS referral " + ubrn + " (ROUTINE): Referral to diabetes clinic");
        return task;
    }

    @Test
    void twoReplaysThatMintedDifferentIdentifiersGiveTheSameReference() {
        FlowReference first = new FlowReference(FhirContext.forR4Cached());
        first.observe("e-referral", "arjun", referral("426045893619"));
        FlowReference second = new FlowReference(FhirContext.forR4Cached());
        second.observe("e-referral", "arjun", referral("011682810244"));

        String markdown = first.markdown(catalogue);
        assertThat(markdown)
                .contains("description: e-RS referral {UBRN} (ROUTINE)")
                .doesNotContain("426045893619");
        assertThat(second.markdown(catalogue)).isEqualTo(markdown);
    }
}
