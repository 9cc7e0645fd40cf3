package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ldrtestbed.identity.contract.JourneyPeople;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.identity.contract.TokenRequestException;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.engine.JourneyRunner;
import org.ldrtestbed.scenarios.engine.PeopleRefusedException;
import org.ldrtestbed.scenarios.engine.TestbedConnection;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/** A journey brings its own people: the embedded identity provider logs them in for that run, and only then. */
@ExtendWith(SharedTestbed.class)
class JourneyPeopleIT {

    private static final String CLIENT = TestbedConnection.DEFAULT_CLIENT;

    @Test
    void theJourneysOwnPatientProxyAndGpLogInAndThePatientSeesTheirOwnRecord(EmbeddedTestbed testbed) throws Exception {
        Journey journey = new JourneyLoader().load(Path.of("src/test/resources/engine-fixtures/people.journey.yaml"));
        assertThat(testbed.realm().user("patient.fixture-cleo")).isEmpty();

        JourneyResult result = JourneyITSupport.replay(testbed, journey);

        assertThat(result.actions())
                .allSatisfy(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS));
        assertThat(result.assertions())
                .extracting(JourneyResult.AssertionResult::id)
                .contains("people-patient-sees-own-problem", "people-proxy-sees-nothing-ungranted");
        assertThat(result.assertions())
                .allSatisfy(a ->
                        assertThat(a.verdict()).as(a.id() + ": " + a.detail()).isEqualTo(Verdict.PASS));
        // Which care relationship let the journey's own nurse see the GP's plan: the care team naming her trust.
        assertThat(result.assertions())
                .filteredOn(a -> a.id().equals("people-nurse-sees-care-plan"))
                .singleElement()
                .satisfies(a -> assertThat(a.grantedBy())
                        .singleElement()
                        .asString()
                        .contains(
                                "organisation=SYNCM; kind=recorded; via=CareTeam.participant.member; event=CareTeam/"));
        assertThat(result.assertions())
                .filteredOn(a -> a.id().equals("people-gp-sees-problem"))
                .singleElement()
                .satisfies(a -> assertThat(a.grantedBy())
                        .as("the practice's own entry needs no relationship")
                        .isEmpty());
        // The run is over: its people log in no more.
        TokenClient tokens = new TokenClient(testbed.connection().issuer());
        assertThatThrownBy(() -> tokens.forUser(CLIENT, "patient.fixture-cleo", JourneyPeople.PASSWORD))
                .isInstanceOf(TokenRequestException.class);
    }

    @Test
    void aJourneyPersonNamedLikeARealmUserIsRefusedBeforeAnythingIsWritten(EmbeddedTestbed testbed) {
        Journey clash = new JourneyLoader().load(Path.of("src/test/resources/people/clash.journey.yaml"));
        JourneyRunner runner = new JourneyRunner(
                FhirContext.forR4Cached(),
                testbed.connection(),
                testbed.realm(),
                testbed.flows().disabled());

        assertThatThrownBy(() -> runner.run(clash))
                .isInstanceOf(PeopleRefusedException.class)
                .hasMessage("user gp.ashdown is already a user of realm 'ldr-testbed': a journey person needs a user"
                        + " name of their own");

        TokenClient tokens = new TokenClient(testbed.connection().issuer());
        assertThatThrownBy(() -> tokens.forUser(CLIENT, "patient.fixture-cleo", JourneyPeople.PASSWORD))
                .as("none of the refused journey's people is registered")
                .isInstanceOf(TokenRequestException.class);
        IGenericClient gp = FhirContext.forR4Cached().newRestfulGenericClient(testbed.fhirBase());
        gp.registerInterceptor(
                new BearerTokenAuthInterceptor(tokens.forUser(CLIENT, "gp.ashdown", "synthetic-password")));
        Bundle patients = gp.search()
                .byUrl("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9990001820")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(patients.getEntry()).as("the refused run wrote nothing").isEmpty();
    }

    @Test
    void aJourneyPersonClaimingTheAdministratorsRoleIsRefusedWith409(EmbeddedTestbed testbed) throws Exception {
        String admin = new TokenClient(testbed.connection().issuer())
                .forUser(CLIENT, "digitallead.okonjo", "synthetic-password");
        String root = testbed.fhirBase().replaceFirst("/fhir$", "");
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(root + "/testbed/runs/people-it-admin/people"))
                                .header("Authorization", "Bearer " + admin)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"professionals\": [{\"user\":"
                                        + " \"lead.people-it\", \"role\": \"testbed-admin\", \"organisation\":"
                                        + " \"SYNICB\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("claims role testbed-admin");
        assertThatThrownBy(() -> new TokenClient(testbed.connection().issuer())
                        .forUser(CLIENT, "lead.people-it", JourneyPeople.PASSWORD))
                .isInstanceOf(TokenRequestException.class);
    }
}
