package org.ldrtestbed.fhirserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class SmartScopeInterceptorTest {

    private final SmartScopeInterceptor interceptor = new SmartScopeInterceptor(FhirContext.forR4Cached());

    @AfterEach
    void clearToken() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void operationTypesMapOntoSmartInteractions() {
        withScope("user/Patient.rs user/Observation.c");

        assertThatCode(() -> check(RestOperationTypeEnum.READ, "Patient")).doesNotThrowAnyException();
        assertThatCode(() -> check(RestOperationTypeEnum.SEARCH_TYPE, "Patient"))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(RestOperationTypeEnum.CREATE, "Observation")).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(RestOperationTypeEnum.UPDATE, "Patient"))
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("user/Patient.u");
        assertThatThrownBy(() -> check(RestOperationTypeEnum.DELETE, "Observation"))
                .hasMessageContaining("user/Observation.d");
        assertThatThrownBy(() -> check(RestOperationTypeEnum.SEARCH_SYSTEM, null))
                .as("a system-wide search needs a wildcard scope")
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void capabilityStatementNeedsNoScope() {
        assertThatCode(() -> check(RestOperationTypeEnum.METADATA, null)).doesNotThrowAnyException();
    }

    @Test
    void tokenWithoutSmartScopesIsRefusedWithAnOperationOutcome() {
        withScope("openid profile");

        assertThatThrownBy(() -> check(RestOperationTypeEnum.READ, "Patient"))
                .isInstanceOfSatisfying(ForbiddenOperationException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(403);
                    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                    assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
                    assertThat(outcome.getIssueFirstRep().getDiagnostics())
                            .contains("patient/Patient.r or user/Patient.r or system/Patient.r");
                });
    }

    @Test
    void transactionNeedsTheScopeOfEveryEntry() {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(new Patient())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Observation?subject=Patient/1");
        transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Flag/7");

        withScope("system/Patient.c system/Observation.s system/Flag.d");
        assertThatCode(() -> checkBundle(transaction)).doesNotThrowAnyException();

        withScope("system/Patient.c system/Observation.s");
        assertThatThrownBy(() -> checkBundle(transaction))
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("system/Flag.d");

        withScope("system/*.cruds");
        assertThatCode(() -> checkBundle(transaction)).doesNotThrowAnyException();
    }

    private void check(RestOperationTypeEnum operation, String resourceType) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setResourceName(resourceType);
        request.setRequestType(RequestTypeEnum.GET);
        interceptor.checkScopes(request, operation);
    }

    private void checkBundle(Bundle bundle) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setRequestType(RequestTypeEnum.POST);
        request.setResource(bundle);
        interceptor.checkScopes(request, RestOperationTypeEnum.TRANSACTION);
    }

    private static void withScope(String scope) {
        Jwt jwt = Jwt.withTokenValue("test")
                .header("alg", "RS256")
                .claim("scope", scope)
                .build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt));
    }
}
