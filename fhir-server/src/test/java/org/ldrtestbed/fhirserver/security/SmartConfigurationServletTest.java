package org.ldrtestbed.fhirserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.TrustedIssuer;
import org.ldrtestbed.identity.contract.RealmFiles;

class SmartConfigurationServletTest {

    private static final String ISSUER = "http://localhost:8080/realms/ldr-testbed";

    private final SmartConfigurationServlet servlet = new SmartConfigurationServlet(
            TrustedIssuer.of(ISSUER), RealmFiles.load("classpath:identity/ldr-testbed-realm.json"));

    @Test
    @SuppressWarnings("unchecked")
    void hasSmartAppLaunchsRequiredFields() {
        Map<String, Object> doc = servlet.document(ISSUER);

        assertThat(doc)
                .containsEntry("authorization_endpoint", ISSUER + "/protocol/openid-connect/auth")
                .containsEntry("token_endpoint", ISSUER + "/protocol/openid-connect/token")
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsKeys("grant_types_supported", "capabilities", "scopes_supported");
        assertThat((List<Object>) doc.get("grant_types_supported")).contains("authorization_code");
    }

    @Test
    void claimsNoCapabilityTheTestbedLacks() {
        @SuppressWarnings("unchecked")
        List<Object> capabilities = (List<Object>) servlet.document(ISSUER).get("capabilities");

        assertThat(capabilities).contains("launch-standalone", "client-public", "permission-v2");
        // No id_token is issued, no launch context is given, the realm grants no v1 scope.
        assertThat(capabilities)
                .doesNotContain("sso-openid-connect", "context-standalone-patient", "launch-ehr", "permission-v1");
    }
}
