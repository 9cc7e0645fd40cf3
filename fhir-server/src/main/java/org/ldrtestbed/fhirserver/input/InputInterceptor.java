package org.ldrtestbed.fhirserver.input;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Refuses bad input before anything is written: a request body with elements FHIR R4 does not define (400, naming
 * the element, instead of HAPI's silent drop), and identifiers the record is keyed on that {@link InputRules} finds
 * wrong (422). A transaction is checked whole, so one bad entry refuses it all; every stored resource is checked
 * again as it is stored, so in a batch only the bad entry fails. Registered on the REST server only: the server's
 * own parsing (routes, stored resources) stays lenient.
 */
@Interceptor
public class InputInterceptor {

    private final FhirContext fhirContext;
    private final InputRules rules;

    public InputInterceptor(FhirContext fhirContext, InputRules rules) {
        this.fhirContext = fhirContext;
        this.rules = rules;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkRequest(RequestDetails request, RestOperationTypeEnum operation) {
        IBaseResource body = strictlyParsedBody(request);
        List<String> problems = new ArrayList<>();
        if (body instanceof Bundle bundle
                && operation == RestOperationTypeEnum.TRANSACTION
                && bundle.getType() == Bundle.BundleType.TRANSACTION) {
            problems.addAll(rules.entryProblems(bundle));
        }
        if (operation == RestOperationTypeEnum.CREATE
                || operation == RestOperationTypeEnum.UPDATE
                || operation == RestOperationTypeEnum.PATCH) {
            if (body != null) {
                problems.addAll(rules.problems(body));
            }
            // Conditional update and patch URLs, and a conditional create's If-None-Exist.
            problems.addAll(rules.queryProblems(request.getCompleteUrl()));
            String ifNoneExist = request.getHeader(Constants.HEADER_IF_NONE_EXIST);
            if (ifNoneExist != null) {
                problems.addAll(rules.queryProblems(ifNoneExist));
            }
        }
        refuseIfAny(problems);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        refuseIfAny(rules.problems(resource));
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource oldResource, IBaseResource newResource) {
        refuseIfAny(rules.problems(newResource));
    }

    /** The request's FHIR body parsed strictly, or null when it has none (or it is not FHIR, e.g. a JSON Patch). */
    private IBaseResource strictlyParsedBody(RequestDetails request) {
        String contentType = request.getHeader(Constants.HEADER_CONTENT_TYPE);
        EncodingEnum encoding = contentType == null ? null : EncodingEnum.forContentType(contentType);
        if (encoding == null) {
            return null;
        }
        byte[] contents = request.loadRequestContents();
        if (contents == null || contents.length == 0) {
            return null;
        }
        try {
            return encoding.newParser(fhirContext)
                    .setParserErrorHandler(new StrictErrorHandler())
                    .parseResource(new InputStreamReader(new ByteArrayInputStream(contents), StandardCharsets.UTF_8));
        } catch (DataFormatException e) {
            throw new InvalidRequestException("The request body is not valid FHIR R4: " + e.getMessage());
        }
    }

    private void refuseIfAny(List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        for (String problem : problems) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.VALUE)
                    .setDiagnostics(problem);
        }
        throw new UnprocessableEntityException(fhirContext, outcome);
    }
}
