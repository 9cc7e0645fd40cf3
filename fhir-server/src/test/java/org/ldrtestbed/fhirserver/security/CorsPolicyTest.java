package org.ldrtestbed.fhirserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;

class CorsPolicyTest {

    @Test
    void anyOriginByDefaultWithoutCredentials() throws Exception {
        MockHttpServletResponse response =
                preflight(CorsPolicy.source(List.of("*")), "/fhir/Patient", "https://app.example", "Authorization");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void originsNamedAreAllowedOthersGetNoCorsHeaders() throws Exception {
        CorsConfigurationSource source = CorsPolicy.source(List.of("http://localhost:5173", "http://127.0.0.1:5173"));

        MockHttpServletResponse allowed =
                preflight(source, "/fhir/Patient", "http://localhost:5173", "authorization,content-type,x-ldr-journey");
        MockHttpServletResponse other = preflight(source, "/fhir/Patient", "http://evil.example", "authorization");

        assertThat(allowed.getStatus()).isEqualTo(200);
        assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
        assertThat(other.getStatus()).isEqualTo(403);
        assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void testbedHeadersAreAllowedByPrefixOtherHeadersAreNot() throws Exception {
        CorsConfigurationSource source = CorsPolicy.source(List.of("*"));

        MockHttpServletResponse ours =
                preflight(source, "/fhir/Encounter", "https://app.example", "X-Ldr-Simulated-Time, content-type");
        MockHttpServletResponse foreign = preflight(source, "/fhir/Encounter", "https://app.example", "X-Other");

        assertThat(ours.getHeader("Access-Control-Allow-Headers")).isEqualTo("X-Ldr-Simulated-Time, content-type");
        assertThat(foreign.getStatus()).isEqualTo(403);
        assertThat(foreign.getHeader("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void onlyTheFhirApiAndTheIdentityProviderAreOpenAcrossOrigins() {
        CorsConfigurationSource source = CorsPolicy.source(List.of("*"));

        assertThat(source.getCorsConfiguration(request("/realms/ldr-testbed/protocol/openid-connect/token")))
                .isNotNull();
        assertThat(source.getCorsConfiguration(request("/testbed/flows"))).isNull();
    }

    @Test
    void anAppMayReadWhereACreateWentAndWhatValidationWarnedOf() throws Exception {
        MockHttpServletRequest request = request("/fhir/Bundle");
        request.setMethod("POST");
        request.addHeader("Origin", "https://app.example");
        MockHttpServletResponse response = new MockHttpServletResponse();
        CorsConfigurationSource source = CorsPolicy.source(List.of("*"));
        new DefaultCorsProcessor().processRequest(source.getCorsConfiguration(request), request, response);

        assertThat(response.getHeader("Access-Control-Expose-Headers"))
                .contains("Location")
                .contains(org.ldrtestbed.fhirserver.contract.Headers.VALIDATION);
    }

    private static MockHttpServletResponse preflight(
            CorsConfigurationSource source, String path, String origin, String headers) throws Exception {
        MockHttpServletRequest request = request(path);
        request.setMethod("OPTIONS");
        request.addHeader("Origin", origin);
        request.addHeader("Access-Control-Request-Method", "GET");
        request.addHeader("Access-Control-Request-Headers", headers);
        MockHttpServletResponse response = new MockHttpServletResponse();
        CorsConfiguration config = source.getCorsConfiguration(request);
        new DefaultCorsProcessor().processRequest(config, request, response);
        return response;
    }

    private static MockHttpServletRequest request(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServerName("localhost");
        request.setServerPort(8080);
        if (path.startsWith("/fhir/")) {
            // As the HAPI servlet, mapped to /fhir/*, sees its requests.
            request.setServletPath("/fhir");
            request.setPathInfo(path.substring("/fhir".length()));
        }
        return request;
    }
}
