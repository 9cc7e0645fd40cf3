package org.ldrtestbed.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/** The checks every token passes before the FHIR server believes it: issuer, audience, expiry. */
class TokenValidatorTest {

    private static final String ISSUER = "http://localhost:8080/realms/ldr-testbed";
    private final OAuth2TokenValidator<Jwt> validator = IdentityConfiguration.tokenValidator(
            TrustedIssuer.of(ISSUER), "ldr-testbed-fhir", java.time.Clock.systemUTC());

    @Test
    void tokenOfTheTrustedIssuerForThisServerIsAccepted() {
        assertThat(validate(b -> b).hasErrors()).isFalse();
        assertThat(validate(b -> b.issuer(ISSUER + "/")).hasErrors()).isFalse();
        assertThat(validate(b -> b.audience(List.of("account", "ldr-testbed-fhir")))
                        .hasErrors())
                .isFalse();
    }

    @Test
    void tokenNamingAnotherIssuerIsRefused() {
        assertThat(descriptions(validate(b -> b.issuer("http://evil.example/realms/ldr-testbed"))))
                .anyMatch(d -> d.contains("not issued by " + ISSUER));
        assertThat(validate(b -> b.claims(c -> c.remove("iss"))).hasErrors()).isTrue();
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        assertThat(descriptions(validate(b -> b.audience(List.of("account")))))
                .anyMatch(d -> d.contains("audience ldr-testbed-fhir"));
        assertThat(validate(b -> b.claims(c -> c.remove("aud"))).hasErrors()).isTrue();
    }

    @Test
    void expiredTokenOrOneThatNeverExpiresIsRefused() {
        assertThat(validate(b -> b.issuedAt(Instant.now().minusSeconds(3600))
                                .expiresAt(Instant.now().minusSeconds(600)))
                        .hasErrors())
                .isTrue();
        assertThat(descriptions(validate(b -> b.claims(c -> c.remove("exp"))))).anyMatch(d -> d.contains("no expiry"));
    }

    @Test
    void issuerSettledOnceCannotChange() {
        TrustedIssuer issuer = TrustedIssuer.unsettled();
        issuer.settle(ISSUER);
        issuer.settle(ISSUER + "/");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> issuer.settle("http://evil.example/realms/x"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(issuer.name()).isEqualTo(ISSUER);
    }

    private OAuth2TokenValidatorResult validate(UnaryOperator<Jwt.Builder> change) {
        Jwt.Builder builder = Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .issuer(ISSUER)
                .subject("gp.ashdown")
                .audience(List.of("ldr-testbed-fhir"))
                .issuedAt(Instant.now().minusSeconds(10))
                .expiresAt(Instant.now().plusSeconds(300));
        return validator.validate(change.apply(builder).build());
    }

    private static List<String> descriptions(OAuth2TokenValidatorResult result) {
        return result.getErrors().stream().map(e -> e.getDescription()).toList();
    }
}
