package org.ldrtestbed.fhirserver.security;

import java.util.Optional;
import org.ldrtestbed.identity.ActorIdentity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The actor behind the request being served, from the validated token Spring Security put on this thread. */
public final class CurrentActor {

    private CurrentActor() {}

    public static Optional<ActorIdentity> get() {
        return token().map(jwt -> ActorIdentity.fromClaims(jwt.getClaims()));
    }

    /** The client the token was issued to ({@code azp}), if there is a token. */
    public static Optional<String> clientId() {
        return token().map(jwt -> jwt.getClaimAsString("azp"));
    }

    /** The validated token's {@code scope} claim (the granted OAuth and SMART scopes), if there is a token. */
    public static Optional<String> scope() {
        return token().map(jwt -> jwt.getClaimAsString("scope"));
    }

    private static Optional<Jwt> token() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof JwtAuthenticationToken jwt ? Optional.of(jwt.getToken()) : Optional.empty();
    }
}
