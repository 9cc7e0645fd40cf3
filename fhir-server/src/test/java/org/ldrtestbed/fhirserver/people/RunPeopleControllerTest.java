package org.ldrtestbed.fhirserver.people;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.JourneyPeople;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.people.RunPeople;

class RunPeopleControllerTest {

    private static final JourneyPeople NURSE = new JourneyPeople(
            null, List.of(), List.of(new JourneyPeople.Professional("nurse.unit", "district-nurse", "SYNCM", null)));

    @Test
    void aTestbedTrustingAnExternalIdentityProviderRefusesJourneyPeopleWith409() {
        var answer = new RunPeopleController(Optional.empty()).register("run-1", NURSE);

        assertThat(answer.getStatusCode().value()).isEqualTo(409);
        assertThat(answer.getBody().get("error").toString()).contains("external identity provider");
    }

    @Test
    void theEmbeddedIssuerTakesThemAndForgetsThemWhenTheRunEnds() {
        RunPeople people = new RunPeople(RealmFiles.load("classpath:identity/ldr-testbed-realm.json"));
        RunPeopleController controller = new RunPeopleController(Optional.of(people));

        assertThat(controller.register("run-1", NURSE).getStatusCode().value()).isEqualTo(200);
        assertThat(people.user("nurse.unit")).isPresent();
        assertThat(controller.end("run-1").getStatusCode().value()).isEqualTo(204);
        assertThat(people.user("nurse.unit")).isEmpty();
        assertThat(controller.end("run-1").getStatusCode().value()).isEqualTo(404);
    }
}
