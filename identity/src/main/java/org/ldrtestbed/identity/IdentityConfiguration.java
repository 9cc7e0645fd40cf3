package org.ldrtestbed.identity;

import java.time.Clock;
import java.util.Optional;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.AccessRules;
import org.ldrtestbed.identity.realm.RealmDefinition;
import org.ldrtestbed.identity.realm.RealmFiles;
import org.ldrtestbed.identity.token.EmbeddedTokenIssuer;
import org.ldrtestbed.identity.token.TokenEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
    EmbeddedTokenIssuer embeddedTokenIssuer(RealmDefinition realm, IdentityProperties properties) {
        return new EmbeddedTokenIssuer(realm, properties.tokenLifetime(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnProperty(name = "testbed.identity.mode", havingValue = "embedded", matchIfMissing = true)
    TokenEndpoints tokenEndpoints(EmbeddedTokenIssuer issuer) {
        return new TokenEndpoints(issuer);
    }

    @Bean
    JwtDecoder jwtDecoder(
            IdentityProperties properties, RealmDefinition realm, Optional<EmbeddedTokenIssuer> embedded) {
        if (properties.mode() == IdentityProperties.Mode.KEYCLOAK) {
            if (properties.issuerUri() == null) {
                throw new IllegalStateException("testbed.identity.issuer-uri is required when mode=keycloak");
            }
            // Lazy: Keycloak may still be starting when the testbed boots; keys are fetched on first use.
            return NimbusJwtDecoder.withIssuerLocation(properties.issuerUri().toString())
                    .build();
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(
                        embedded.orElseThrow().publicKey())
                .build();
        // The embedded issuer names itself after the host the client used, so the issuer is checked by realm path;
        // the signature (a key that lives only in this process) is what proves the token is ours.
        OAuth2TokenValidator<Jwt> issuerPath =
                jwt -> jwt.getIssuer() != null && jwt.getIssuer().toString().endsWith("/realms/" + realm.realm())
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(
                                new OAuth2Error("invalid_token", "Token not issued by realm " + realm.realm(), null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), issuerPath));
        return decoder;
    }
}
