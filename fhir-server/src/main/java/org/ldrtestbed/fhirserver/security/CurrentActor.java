package org.ldrtestbed.fhirserver.security;

import java.util.Optional;
import org.ldrtestbed.identity.ActorIdentity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The actor behind the request being served, from the validated token Spring Security put on this thread. */
public final class CurrentActor {

    private CurrentActor() {}

    public static Optional<ActorIdentity> get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return Optional.of(ActorIdentity.fromClaims(jwt.getTokenAttributes()));
        }
        return Optional.empty();
    }

    /** The client the token was issued to ({@code azp}), if there is a token. */
    public static Optional<String> clientId() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return Optional.ofNullable(jwt.getToken().getClaimAsString("azp"));
        }
        return Optional.empty();
    }

    /** The validated token's {@code scope} claim (the granted OAuth and SMART scopes), if there is a token. */
    public static Optional<String> scope() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return Optional.ofNullable(jwt.getToken().getClaimAsString("scope"));
        }
        return Optional.empty();
    }
}
