package org.ldrtestbed.fhirserver.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation of what clients write, per source ({@link WriteValidation} decides): a refusal is a 422 thrown before
 * storage, so nothing of the write (or of its transaction) is kept; a warning goes on the response ({@link
 * Headers#VALIDATION}) and in the log. Registered on the REST server only: the server's own writes are not held to it.
 */
@Interceptor
public class WriteValidationInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(WriteValidationInterceptor.class);

    private final FhirContext fhirContext;
    private final WriteValidation validation;

    public WriteValidationInterceptor(FhirContext fhirContext, WriteValidation validation) {
        this.fhirContext = fhirContext;
        this.validation = validation;
    }

    /** Well inside Tomcat's 8 KB of response headers, whatever else the answer carries. */
    static final int HEADER_CHARS = 4000;

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
        check(newResource, request);
    }

    private void check(IBaseResource resource, RequestDetails request) {
        String source = CurrentActor.clientId(request).orElse(null);
        WriteValidation.Decision decision = validation.decide(source, resource);
        if (decision.refused()) {
            throw new UnprocessableEntityException(
                    fhirContext, outcome(decision, OperationOutcome.IssueSeverity.ERROR));
        }
        if (decision.warned()) {
            LOG.warn(
                    "{} from {} is not valid FHIR R4, written all the same (validation warn): {}",
                    resource.fhirType(),
                    source,
                    decision.findings());
            if (request instanceof ServletRequestDetails servlet && servlet.getServletResponse() != null) {
                WriteValidation.Decision shown = new WriteValidation.Decision(
                        decision.mode(), WriteValidation.fitting(decision.findings(), HEADER_CHARS));
                String encoded = fhirContext
                        .newJsonParser()
                        .encodeResourceToString(outcome(shown, OperationOutcome.IssueSeverity.WARNING));
                // A header is Latin-1 on one line; the JSON encoder already puts it on one.
                servlet.getServletResponse().addHeader(Headers.VALIDATION, encoded.replaceAll("[^\\x20-\\x7e]", "?"));
            }
        }
    }

    private static OperationOutcome outcome(
            WriteValidation.Decision decision, OperationOutcome.IssueSeverity severity) {
        OperationOutcome outcome = new OperationOutcome();
        for (WriteValidation.Finding finding : decision.findings()) {
            outcome.addIssue()
                    .setSeverity(severity)
                    .setCode(OperationOutcome.IssueType.INVALID)
                    .setDiagnostics(finding.message())
                    .addExpression(finding.location());
        }
        return outcome;
    }
}
