package org.ldrtestbed.fhirserver.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Optional;
import org.ldrtestbed.identity.ActorIdentity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * The actor behind the request being served, from the validated token Spring Security put on this thread, or on the
 * request itself: HAPI serves a batch's entries on threads of its own, which carry no security context, and each
 * entry must be decided as the caller all the same.
 */
public final class CurrentActor {

    private CurrentActor() {}

    public static Optional<ActorIdentity> get() {
        return get(null);
    }

    public static Optional<ActorIdentity> get(RequestDetails request) {
        return token(request).map(jwt -> ActorIdentity.fromClaims(jwt.getClaims()));
    }

    /** The client the token was issued to ({@code azp}), if there is a token. */
    public static Optional<String> clientId(RequestDetails request) {
        return token(request).map(jwt -> jwt.getClaimAsString("azp"));
    }

    /** The validated token's {@code scope} claim (the granted OAuth and SMART scopes), if there is a token. */
    public static Optional<String> scope(RequestDetails request) {
        return token(request).map(jwt -> jwt.getClaimAsString("scope"));
    }

    private static Optional<Jwt> token(RequestDetails request) {
        Optional<Jwt> onThread = jwt(SecurityContextHolder.getContext().getAuthentication());
        if (onThread.isPresent() || !(request instanceof ServletRequestDetails servlet)) {
            return onThread;
        }
        // The bearer-token filter also keeps the context on the request it authenticated.
        Object saved = servlet.getServletRequest() == null
                ? null
                : servlet.getServletRequest()
                        .getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME);
        return saved instanceof SecurityContext context ? jwt(context.getAuthentication()) : Optional.empty();
    }

    private static Optional<Jwt> jwt(Authentication authentication) {
        return authentication instanceof JwtAuthenticationToken jwt ? Optional.of(jwt.getToken()) : Optional.empty();
    }
}
