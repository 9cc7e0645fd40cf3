package org.ldrtestbed.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.realm.RealmDefinition;
import org.ldrtestbed.identity.realm.RealmFiles;

class EmbeddedTokenIssuerTest {

    private static final String ISSUER = "http://localhost/realms/ldr-testbed";
    private final RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
    private final EmbeddedTokenIssuer issuer = new EmbeddedTokenIssuer(realm, Duration.ofMinutes(5), Clock.systemUTC());

    @Test
    void passwordGrantCarriesRoleOrganisationAndPractitionerFromTheRealmMappers() throws Exception {
        String token = issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "paramedic.hale", "synthetic-password")
                .accessToken();

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new RSASSAVerifier(issuer.publicKey()))).isTrue();
        Map<String, Object> claims = jwt.getJWTClaimsSet().getClaims();
        ActorIdentity actor = ActorIdentity.fromClaims(claims);
        assertThat(actor.username()).isEqualTo("paramedic.hale");
        assertThat(actor.roles()).containsExactly("paramedic");
        assertThat(actor.organisation()).isEqualTo("SYNAM");
        assertThat(actor.practitioner()).isEqualTo("900000000104");
        assertThat(actor.nrbacRole()).isEqualTo("R8003");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);
    }

    @Test
    void patientTokenNamesThePatient() throws Exception {
        String token = issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "patient.dot", "synthetic-password")
                .accessToken();

        ActorIdentity actor = ActorIdentity.fromClaims(
                SignedJWT.parse(token).getJWTClaimsSet().getClaims());
        assertThat(actor.roles()).containsExactly("patient");
        assertThat(actor.patient()).isEqualTo("9990000077");
        assertThat(actor.organisation()).isNull();
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefusedAlike() {
        assertThatThrownBy(() -> issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "gp.ashdown", "nope"))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_grant");
                    assertThat(e.status()).isEqualTo(401);
                });
        assertThatThrownBy(() -> issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "nobody", "x"))
                .isInstanceOfSatisfying(
                        TokenRequestException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));
    }

    @Test
    void clientCredentialsActAsTheServiceAccount() throws Exception {
        String token = issuer.clientCredentials(ISSUER, "mesh-mailbox", "mesh-mailbox-synthetic-secret")
                .accessToken();

        ActorIdentity actor = ActorIdentity.fromClaims(
                SignedJWT.parse(token).getJWTClaimsSet().getClaims());
        assertThat(actor.username()).isEqualTo("service-account-mesh-mailbox");
        assertThat(actor.organisation()).isEqualTo("SYNMX");
    }

    @Test
    void confidentialClientNeedsItsSecretAndPublicClientHasNoServiceAccount() {
        assertThatThrownBy(() -> issuer.clientCredentials(ISSUER, "mesh-mailbox", "wrong"))
                .isInstanceOf(TokenRequestException.class)
                .hasMessageContaining("Invalid client");
        assertThatThrownBy(() -> issuer.clientCredentials(ISSUER, "testbed-scenarios", null))
                .isInstanceOfSatisfying(
                        TokenRequestException.class, e -> assertThat(e.error()).isEqualTo("unauthorized_client"));
    }
}
