package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.contract.Systems;
import org.ldrtestbed.scenarios.journey.Step.Refusal;

/**
 * Whether the server refused a write for the reason a journey expects: the policy's refusal is 403 with its reason
 * code in the OperationOutcome; a flow's refusal is 422 naming one of the flows the journey says refuse it (the
 * dispatcher's "flow CODE (...) cannot carry this ..."). Any other answer (another reason, a version conflict, a
 * server error) is not the refusal expected.
 */
final class RefusalCheck {

    /** What a refusal assertion shows as its "query": the action it judged. */
    static final String QUERY_PREFIX = "does: ";

    private RefusalCheck() {}

    static boolean matches(Refusal refusal, BaseServerResponseException e) {
        if (refusal.reason().equals(Refusal.FLOW)) {
            String said = e.getMessage() + " " + String.join(" ", diagnostics(e));
            return e.getStatusCode() == 422 && refusal.flows().stream().anyMatch(f -> said.contains("flow " + f + " "));
        }
        return e.getStatusCode() == 403 && reasons(e).contains(refusal.reason());
    }

    /** The status and the reason codes given, for a refusal that was not the one expected. */
    static String describe(BaseServerResponseException e) {
        List<String> reasons = reasons(e);
        return "HTTP " + e.getStatusCode() + (reasons.isEmpty() ? ", no reason code" : ", reason " + reasons);
    }

    private static List<String> reasons(BaseServerResponseException e) {
        List<String> codes = new ArrayList<>();
        if (e.getOperationOutcome() instanceof OperationOutcome outcome) {
            for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
                issue.getDetails().getCoding().stream()
                        .filter(c -> Systems.DENIAL_REASONS.equals(c.getSystem()))
                        .forEach(c -> codes.add(c.getCode()));
            }
        }
        return codes;
    }

    private static List<String> diagnostics(BaseServerResponseException e) {
        List<String> said = new ArrayList<>();
        if (e.getOperationOutcome() instanceof OperationOutcome outcome) {
            outcome.getIssue().forEach(i -> said.add(i.getDiagnostics()));
        }
        return said;
    }
}
