package org.ldrtestbed.identity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Identity settings ({@code testbed.identity.*}).
 *
 * @param mode where tokens come from: {@code embedded} issues them in-process from the realm file; {@code keycloak}
 *     trusts a real Keycloak server at {@code issuer-uri}
 * @param realmFile the Keycloak realm export that is the source of truth for users, roles and clients
 * @param issuerUri the issuer tokens must name: the Keycloak realm URL (required when {@code mode=keycloak}); in
 *     {@code embedded} mode the name the embedded issuer signs with, by default
 *     {@code http://localhost:<server port><context path>/realms/<realm>}. Never taken from a request's host.
 * @param audience the audience ({@code aud}) a token must name to be accepted by the FHIR server; the realm file's
 *     audience mapper (scope {@code basic}) puts it in every token
 * @param tokenLifetime how long an embedded token is valid
 * @param accessPolicy the access policy file: role x purpose of use -> classes, relationships, sensitive labels
 */
@Validated
@ConfigurationProperties("testbed.identity")
public record IdentityProperties(
        @NotNull @DefaultValue("embedded") Mode mode,

        @NotBlank @DefaultValue("classpath:identity/ldr-testbed-realm.json")
        String realmFile,

        URI issuerUri,

        @NotBlank @DefaultValue("ldr-testbed-fhir") String audience,
        @NotNull @DefaultValue("PT15M") Duration tokenLifetime,

        @NotBlank @DefaultValue("classpath:identity/access-policy.yaml")
        String accessPolicy) {

    /** Where tokens come from. */
    public enum Mode {
        EMBEDDED,
        KEYCLOAK
    }
}
