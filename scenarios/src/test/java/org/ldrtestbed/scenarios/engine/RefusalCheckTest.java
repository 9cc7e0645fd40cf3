package org.ldrtestbed.scenarios.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.access.AccessInterceptor;
import org.ldrtestbed.scenarios.journey.Step.Refusal;

class RefusalCheckTest {

    private static Refusal refused(String reason, String... flows) {
        return new Refusal(0, "r", null, reason, Set.of("governance"), Set.of(flows));
    }

    private static ForbiddenOperationException policy(String reason) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN)
                .getDetails()
                .addCoding()
                .setSystem(AccessInterceptor.DENIAL_REASONS)
                .setCode(reason);
        return new ForbiddenOperationException("Encounter/1 is refused", outcome);
    }

    @Test
    void thePolicysRefusalMatchesOnlyItsOwnReason() {
        assertThat(RefusalCheck.matches(refused("not-writer"), policy("not-writer")))
                .isTrue();
        assertThat(RefusalCheck.matches(refused("role"), policy("not-writer"))).isFalse();
        assertThat(RefusalCheck.describe(policy("not-writer"))).isEqualTo("HTTP 403, reason [not-writer]");
    }

    @Test
    void aFlowsRefusalIs422NamingOneOfItsFlows() {
        UnprocessableEntityException byEol = new UnprocessableEntityException(
                "flow eol-pointer (End-of-life pointer) cannot carry this CarePlan: CarePlan.author must name ...");

        assertThat(RefusalCheck.matches(refused("flow", "eol-pointer"), byEol)).isTrue();
        assertThat(RefusalCheck.matches(refused("flow", "eol"), byEol)).isFalse();
        assertThat(RefusalCheck.matches(refused("flow", "e-referral"), byEol)).isFalse();
        // The policy's 403 is no flow's refusal, and a conflict is no refusal at all.
        assertThat(RefusalCheck.matches(refused("flow", "eol-pointer"), policy("role")))
                .isFalse();
        assertThat(RefusalCheck.matches(refused("not-writer"), new ResourceVersionConflictException("stale")))
                .isFalse();
    }
}
