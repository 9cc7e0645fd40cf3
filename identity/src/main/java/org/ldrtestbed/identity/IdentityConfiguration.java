package org.ldrtestbed.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.AccessRules;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.people.RunPeople;
import org.ldrtestbed.identity.token.AuthorizationEndpoint;
import org.ldrtestbed.identity.token.EmbeddedTokenIssuer;
import org.ldrtestbed.identity.token.TokenEndpoints;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Wires the realm, the embedded issuer (by default) and the JWT decoder that the FHIR server's security uses. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
public class IdentityConfiguration {

    /** Where this module's migrations (the audit trail's tables) live; see {@code TestbedSchema}. */
    public static final String MIGRATIONS = "classpath:db/migration/identity";

    /**
     * The server's clock, for everything the testbed stamps (tokens, audit events, flows; a journey run's own clock
     * starts from it). The system clock in UTC; {@code testbed.clock-offset} (ISO-8601 duration, tests only) moves
     * it, to show that nothing depends on the server's wall clock agreeing with the journey's. Primary: the FHIR
     * server's request clock is a {@link Clock} too, asked for by its own type.
     */
    @Bean
    @Primary
    Clock testbedClock(@Value("${testbed.clock-offset:PT0S}") Duration offset) {
        return offset.isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), offset);
    }

    @Bean
    RealmDefinition realmDefinition(IdentityProperties properties) {
        return RealmFiles.load(properties.realmFile());
    }

    @Bean
    AccessRules accessRules(IdentityProperties properties) {
        return new AccessRules(AccessPolicy.load(properties.accessPolicy()));
    }

    @Bean
    @ConditionalOnProperty(name = "testbed.identity.mode", havingValue = "embedded", matchIfMissing = true)
    EmbeddedTokenIssuer embeddedTokenIssuer(
            RealmDefinition realm, IdentityProperties properties, RunPeople people, Clock clock) {
        return new EmbeddedTokenIssuer(realm, properties.tokenLifetime(), clock, people);
    }

    /** The journey runs' own people; only the embedded issuer can serve them (a real Keycloak has its realm). */
    @Bean
    @ConditionalOnProperty(name = "testbed.identity.mode", havingValue = "embedded", matchIfMissing = true)
    RunPeople runPeople(RealmDefinition realm) {
        return new RunPeople(realm);
    }

    /**
     * The issuer tokens must name. Keycloak's is configured; the embedded issuer's is configured too, or, when it is
     * not, settled once from the port the server listens on as soon as it does (it may be a free port chosen at
     * start-up), as {@code http://localhost:<port><context path>/realms/<realm>}.
     */
    @Bean
    TrustedIssuer trustedIssuer(IdentityProperties properties) {
        if (properties.issuerUri() != null) {
            return TrustedIssuer.of(properties.issuerUri().toString());
        }
        if (properties.mode() == IdentityProperties.Mode.KEYCLOAK) {
            throw new IllegalStateException("testbed.identity.issuer-uri is required when mode=keycloak");
        }
        return TrustedIssuer.unsettled();
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> embeddedIssuerName(TrustedIssuer issuer, RealmDefinition realm) {
        return event -> {
            // Only the main web server names the issuer (not a separate management port).
            if (event.getApplicationContext().getServerNamespace() == null && !issuer.isSettled()) {
                String contextPath = event.getApplicationContext()
                        .getEnvironment()
                        .getProperty("server.servlet.context-path", "")
                        .replaceAll("/+$", "");
                issuer.settle("http://localhost:" + event.getWebServer().getPort() + contextPath + "/realms/"
                        + realm.realm());
            }
        };
    }

    @Bean
    @ConditionalOnProperty(name = "testbed.identity.mode", havingValue = "embedded", matchIfMissing = true)
    TokenEndpoints tokenEndpoints(EmbeddedTokenIssuer issuer, TrustedIssuer name) {
        return new TokenEndpoints(issuer, name);
    }

    @Bean
    @ConditionalOnProperty(name = "testbed.identity.mode", havingValue = "embedded", matchIfMissing = true)
    AuthorizationEndpoint authorizationEndpoint(EmbeddedTokenIssuer issuer) {
        return new AuthorizationEndpoint(issuer);
    }

    /**
     * Accepts only tokens signed by the trusted issuer's key, naming that issuer, for this server's audience, with an
     * expiry that has not passed.
     */
    @Bean
    JwtDecoder jwtDecoder(
            IdentityProperties properties, TrustedIssuer issuer, Optional<EmbeddedTokenIssuer> embedded, Clock clock) {
        NimbusJwtDecoder decoder = properties.mode() == IdentityProperties.Mode.KEYCLOAK
                // Lazy: Keycloak may still be starting when the testbed boots; keys are fetched on first use.
                ? NimbusJwtDecoder.withIssuerLocation(issuer.name()).build()
                : NimbusJwtDecoder.withPublicKey(embedded.orElseThrow().publicKey())
                        .build();
        decoder.setJwtValidator(tokenValidator(issuer, properties.audience(), clock));
        return decoder;
    }

    /** @param clock the clock the token's expiry is held against: the one the embedded issuer stamps with */
    static OAuth2TokenValidator<Jwt> tokenValidator(TrustedIssuer issuer, String audience, Clock clock) {
        OAuth2TokenValidator<Jwt> expiry = jwt ->
                jwt.getExpiresAt() != null ? OAuth2TokenValidatorResult.success() : refused("The token has no expiry");
        OAuth2TokenValidator<Jwt> issuedHere = jwt -> {
            String iss = jwt.getClaimAsString("iss");
            return iss != null && iss.replaceAll("/+$", "").equals(issuer.name())
                    ? OAuth2TokenValidatorResult.success()
                    : refused("The token was not issued by " + issuer.name());
        };
        OAuth2TokenValidator<Jwt> forThisServer =
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                        ? OAuth2TokenValidatorResult.success()
                        : refused("The token is not meant for audience " + audience);
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(timestamps, expiry, issuedHere, forThisServer);
    }

    private static OAuth2TokenValidatorResult refused(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
    }
}
