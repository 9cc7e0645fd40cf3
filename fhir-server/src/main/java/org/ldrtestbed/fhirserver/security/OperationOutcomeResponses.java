package org.ldrtestbed.fhirserver.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.audit.AuthenticationFailures;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers refused requests the FHIR way: an OperationOutcome body with the HTTP status (401 with a bearer challenge
 * when there is no valid token, 403 when the token is valid but not allowed).
 */
public final class OperationOutcomeResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final FhirContext fhirContext;
    private final AuthenticationFailures failures;

    /** For answering refusals only, with no authentication failures to audit. */
    public OperationOutcomeResponses(FhirContext fhirContext) {
        this(fhirContext, null);
    }

    public OperationOutcomeResponses(FhirContext fhirContext, AuthenticationFailures failures) {
        this.fhirContext = fhirContext;
        this.failures = failures;
    }

    @Override
    public void commence(
            jakarta.servlet.http.HttpServletRequest request,
            HttpServletResponse response,
            AuthenticationException failure)
            throws IOException {
        boolean tokenPresent = request.getHeader("Authorization") != null;
        String challenge = tokenPresent
                ? "Bearer error=\"invalid_token\", error_description=\"The access token is not valid\""
                : "Bearer";
        response.setHeader("WWW-Authenticate", challenge);
        String detail = tokenPresent
                ? "The bearer token is not valid: " + failure.getMessage()
                : "This server needs a bearer token: send 'Authorization: Bearer <access token>' from the testbed's"
                        + " identity provider";
        if (failures != null) {
            failures.record(request, detail);
        }
        write(response, HttpServletResponse.SC_UNAUTHORIZED, OperationOutcome.IssueType.LOGIN, detail);
    }

    @Override
    public void handle(
            jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        write(response, HttpServletResponse.SC_FORBIDDEN, OperationOutcome.IssueType.FORBIDDEN, denied.getMessage());
    }

    /** Answers a request refused before it reaches HAPI (e.g. too large) with the status and an OperationOutcome. */
    public void refuse(HttpServletResponse response, int status, OperationOutcome.IssueType type, String detail)
            throws IOException {
        write(response, status, type, detail);
    }

    private void write(HttpServletResponse response, int status, OperationOutcome.IssueType type, String detail)
            throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(detail);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getOutputStream()
                .write(fhirContext
                        .newJsonParser()
                        .encodeResourceToString(outcome)
                        .getBytes(StandardCharsets.UTF_8));
    }
}
