package org.ldrtestbed.fhirserver.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * Which cross-origin browser requests (a SMART app served from another origin) the server answers: {@code /fhir/**}
 * and the embedded identity provider's {@code /realms/**}. A preflight needs no token. Requests may carry
 * {@code Authorization}, the FHIR content headers and the testbed's own {@code X-Ldr-*} headers; the app may read
 * {@code Location}, {@code ETag} and {@code Content-Location}. Credentials (cookies) are never allowed: tokens are
 * sent explicitly, so an allowed origin gains nothing it could not do from a server.
 */
final class CorsPolicy {

    static final List<String> ALLOWED_HEADERS = List.of(
            "Authorization",
            "Content-Type",
            "Accept",
            "Prefer",
            "If-Match",
            "If-None-Match",
            "If-Modified-Since",
            "If-None-Exist");

    /** The testbed's own request headers, e.g. {@code X-Ldr-Journey}; any of them is allowed. */
    static final String TESTBED_HEADER_PREFIX = "X-Ldr-";

    /** What a browser app may read of an answer: where a create went, and what write validation warned of. */
    static final List<String> EXPOSED_HEADERS =
            List.of("Location", "ETag", "Content-Location", org.ldrtestbed.fhirserver.contract.Headers.VALIDATION);

    private CorsPolicy() {}

    static CorsConfigurationSource source(List<String> origins) {
        CorsConfiguration config = new TestbedHeaders();
        config.setAllowedOrigins(origins);
        config.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        config.setAllowedHeaders(ALLOWED_HEADERS);
        config.setExposedHeaders(EXPOSED_HEADERS);
        config.setAllowCredentials(false);
        config.setMaxAge(Duration.ofHours(1));
        // By the request's full path: a path pattern would be matched within the HAPI servlet's own mapping (/fhir/*).
        return request -> {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            return path.equals("/fhir") || path.startsWith("/fhir/") || path.startsWith("/realms/") ? config : null;
        };
    }

    /** Spring matches allowed headers by exact name only; the {@code X-Ldr-} family is matched by prefix. */
    private static final class TestbedHeaders extends CorsConfiguration {

        @Override
        public List<String> checkHeaders(List<String> requestHeaders) {
            if (requestHeaders == null) {
                return null;
            }
            if (requestHeaders.isEmpty()) {
                return List.of();
            }
            List<String> allowed = new ArrayList<>();
            for (String header : requestHeaders) {
                String name = header.trim();
                if (name.regionMatches(true, 0, TESTBED_HEADER_PREFIX, 0, TESTBED_HEADER_PREFIX.length())
                        || ALLOWED_HEADERS.stream().anyMatch(name::equalsIgnoreCase)) {
                    allowed.add(name);
                }
            }
            return allowed.isEmpty() ? null : allowed;
        }
    }
}
