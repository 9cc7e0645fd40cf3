package org.ldrtestbed.identity.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.contract.JourneyPeople;
import org.ldrtestbed.identity.contract.JourneyPeople.Patient;
import org.ldrtestbed.identity.contract.JourneyPeople.Professional;
import org.ldrtestbed.identity.contract.JourneyPeople.Proxy;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenRequestException;
import org.ldrtestbed.identity.token.EmbeddedTokenIssuer;

class RunPeopleTest {

    private static final String ISSUER = "http://localhost/realms/ldr-testbed";
    private static final String CLIENT = "testbed-scenarios";
    private final RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
    private final RunPeople people = new RunPeople(realm);
    private final EmbeddedTokenIssuer issuer =
            new EmbeddedTokenIssuer(realm, Duration.ofMinutes(5), Clock.systemUTC(), people);

    private static JourneyPeople bea() {
        return new JourneyPeople(
                new Patient("patient.bea", "9990001804"),
                List.of(new Proxy("proxy.bea-son", "son", "9990001804")),
                List.of(new Professional("nurse.bea-team", "district-nurse", "SYNCM", "900000000901")));
    }

    @Test
    void aRegisteredPersonLogsInWithTheClaimsTheRealmMappersGiveTheirKind() throws Exception {
        people.register("run-1", bea());

        ActorIdentity patient = claims("patient.bea");
        assertThat(patient.roles()).containsExactly("patient");
        assertThat(patient.patient()).isEqualTo("9990001804");
        ActorIdentity proxy = claims("proxy.bea-son");
        assertThat(proxy.roles()).containsExactly("proxy");
        assertThat(proxy.proxyFor()).isEqualTo("9990001804");
        ActorIdentity nurse = claims("nurse.bea-team");
        assertThat(nurse.roles()).containsExactly("district-nurse");
        assertThat(nurse.organisation()).isEqualTo("SYNCM");
        assertThat(nurse.practitioner()).isEqualTo("900000000901");
    }

    @Test
    void aProfessionalWithoutADirectoryPractitionerIsStillReadAsAProfessionalNeverAsASystem() throws Exception {
        people.register(
                "run-1", new JourneyPeople(null, List.of(), List.of(new Professional("gp.bea", "gp", "SYNG09", null))));

        assertThat(claims("gp.bea").practitioner()).isEqualTo(JourneyPeople.UNLISTED_PRACTITIONER + "gp.bea");
    }

    @Test
    void aPersonCannotLogInOnceTheirRunHasEnded() {
        people.register("run-1", bea());
        assertThat(people.remove("run-1")).isTrue();

        assertThatThrownBy(() -> issuer.passwordGrant(ISSUER, CLIENT, null, "patient.bea", JourneyPeople.PASSWORD))
                .isInstanceOf(TokenRequestException.class)
                .hasMessageContaining("Invalid user credentials");
        assertThat(people.remove("run-1")).isFalse();
    }

    @Test
    void aPersonNeedsTheSyntheticPassword() {
        people.register("run-1", bea());

        assertThatThrownBy(() -> issuer.passwordGrant(ISSUER, CLIENT, null, "patient.bea", "guess"))
                .isInstanceOf(TokenRequestException.class);
    }

    @Test
    void aUserNameOfTheRealmIsRefusedAndNothingIsRegistered() {
        JourneyPeople clash = new JourneyPeople(
                new Patient("patient.bea", "9990001804"),
                List.of(),
                List.of(new Professional("gp.ashdown", "gp", "SYNG09", null)));

        assertThatThrownBy(() -> people.register("run-1", clash))
                .isInstanceOf(RunPeople.Refused.class)
                .hasMessage("user gp.ashdown is already a user of realm 'ldr-testbed': a journey person needs a user"
                        + " name of their own");
        assertThat(people.user("patient.bea")).isEmpty();
    }

    @Test
    void privilegedRolesAreRefused() {
        for (String role : List.of("testbed-admin", "system")) {
            JourneyPeople admin =
                    new JourneyPeople(null, List.of(), List.of(new Professional("lead.bea", role, "SYNICB", null)));

            assertThatThrownBy(() -> people.register("run-1", admin))
                    .isInstanceOf(RunPeople.Refused.class)
                    .hasMessageContaining("claims role " + role);
        }
    }

    @Test
    void aProfessionalCannotClaimThePatientsRole() {
        JourneyPeople posing =
                new JourneyPeople(null, List.of(), List.of(new Professional("pose.bea", "patient", "SYNG09", null)));

        assertThatThrownBy(() -> people.register("run-1", posing))
                .isInstanceOf(RunPeople.Refused.class)
                .hasMessageContaining("declare patients under people.patient");
    }

    @Test
    void theSamePersonTwiceInOneJourneyIsRefused() {
        JourneyPeople twice = new JourneyPeople(
                new Patient("bea", "9990001804"), List.of(new Proxy("bea", "self", "9990001804")), List.of());

        assertThatThrownBy(() -> people.register("run-1", twice))
                .isInstanceOf(RunPeople.Refused.class)
                .hasMessage("user bea is declared twice");
    }

    @Test
    void anotherRunMayShareAPersonOnlyIfTheyAreTheSamePerson() {
        people.register("run-1", bea());
        people.register("run-2", bea());

        assertThatThrownBy(() -> people.register("run-3", bea().following("9990002401")))
                .isInstanceOf(RunPeople.Refused.class)
                .hasMessageContaining("already a different person in another run");
        // A run may replace its own people (a rerun following a fresh NHS number).
        people.remove("run-2");
        people.register("run-1", bea().following("9990002401"));
        assertThat(people.user("patient.bea").orElseThrow().attribute("patient"))
                .contains("9990002401");
    }

    private ActorIdentity claims(String username) throws Exception {
        String token = issuer.passwordGrant(ISSUER, CLIENT, null, username, JourneyPeople.PASSWORD)
                .accessToken();
        return ActorIdentity.fromClaims(SignedJWT.parse(token).getJWTClaimsSet().getClaims());
    }
}
