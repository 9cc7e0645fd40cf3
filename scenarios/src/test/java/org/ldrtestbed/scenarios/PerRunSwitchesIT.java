package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.scenarios.deployment.DeploymentProfile;
import org.ldrtestbed.scenarios.deployment.Deployments;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.engine.JourneyRunner;
import org.ldrtestbed.scenarios.engine.RunSettings;
import org.ldrtestbed.scenarios.engine.TestbedConnection;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.report.ConsoleReport;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * A run's switches apply to that run alone: two runs with different switches share one served testbed at the same
 * time and each one's assertions follow its own switches. And a deployment profile names the needs it leaves unmet.
 */
@ExtendWith(SharedTestbed.class)
class PerRunSwitchesIT {

    private static final FlowCatalogue FLOWS = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private static final String SUMMARY = "discharge-summary";

    @Test
    void twoRunsAtOnceEachFollowTheirOwnSwitches(EmbeddedTestbed testbed) throws Exception {
        RunSettings withoutE = RunSettings.of(Set.of(), Set.of("e"), null, FLOWS);

        List<JourneyResult> results =
                concurrently(testbed, new Run(journey("noor"), withoutE), new Run(journey("dot"), RunSettings.FULL));
        JourneyResult noor = results.get(0);
        JourneyResult dot = results.get(1);

        // Both really overlapped: each started before the other finished.
        assertThat(noor.started()).isBefore(dot.started().plus(dot.elapsed()));
        assertThat(dot.started()).isBefore(noor.started().plus(noor.elapsed()));

        // Noor's run had e off: every assertion that depends on an e flow failed, and her ward's summary was held.
        assertThat(noor.disabledFlows()).contains(SUMMARY);
        assertThat(noor.assertions().filter(a -> a.flows().contains(SUMMARY)))
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.verdict()).as(a.id()).isEqualTo(Verdict.FAIL));
        assertThat(testbed.messageLog().search(new MessageQuery(null, SUMMARY, noor.runId(), null, null, 0)))
                .as("nothing of Noor's summary was sent")
                .isEmpty();

        // Dot's run, at the same time on the same server, had everything: her discharge summary arrived.
        assertThat(dot.disabledFlows()).isEmpty();
        assertThat(dot.assertions())
                .isNotEmpty()
                .allSatisfy(a ->
                        assertThat(a.verdict()).as(a.id() + ": " + a.detail()).isEqualTo(Verdict.PASS));
        assertThat(dot.assertions().filter(a -> a.flows().contains(SUMMARY))).isNotEmpty();
        assertThat(testbed.messageLog().search(new MessageQuery(null, SUMMARY, dot.runId(), null, Stage.DELIVERED, 0)))
                .isNotEmpty();
        // And the server-wide switchboard was never touched.
        assertThat(testbed.flows().disabled()).isEmpty();
    }

    @Test
    void the2017ProfileLeavesTheMentalHealthWardsSummaryUnmetWhileTheAcuteTrustsStillArrives(EmbeddedTestbed testbed)
            throws Exception {
        DeploymentProfile july2017 =
                new Deployments().find("oxfordshire-2017-07").orElseThrow();
        RunSettings settings = new RunSettings(Set.of(), july2017);

        List<JourneyResult> results =
                concurrently(testbed, new Run(journey("noor"), settings), new Run(journey("dot"), settings));
        JourneyResult noor = results.get(0);
        JourneyResult dot = results.get(1);

        assertThat(noor.deployment()).isEqualTo("oxfordshire-2017-07");
        assertThat(noor.passed()).isFalse();
        List<String> noorsNeeds = noor.assertions()
                .filter(a -> a.flows().contains(SUMMARY))
                .map(AssertionResult::id)
                .toList();
        assertThat(noorsNeeds).isNotEmpty();
        assertThat(noor.unmetNeeds())
                .extracting(JourneyResult.UnmetNeed::assertionId)
                .containsExactlyInAnyOrderElementsOf(noorsNeeds);
        assertThat(noor.unmetNeeds()).allSatisfy(need -> {
            assertThat(need.capability()).isEqualTo("e");
            assertThat(need.flow()).isEqualTo(SUMMARY);
            assertThat(need.sourceOrganisation()).isEqualTo("SYNCM");
            assertThat(need.sourceService()).isEqualTo("SYNCM03");
            assertThat(need.status()).isEqualTo(DeploymentProfile.ABSENT);
            assertThat(need.note()).isEqualTo("all providers except mental health");
        });

        // Dot's acute-trust summary still arrives under the same profile; what she misses is f (planned).
        assertThat(dot.assertions().filter(a -> a.flows().contains(SUMMARY)))
                .isNotEmpty()
                .allSatisfy(a ->
                        assertThat(a.verdict()).as(a.id() + ": " + a.detail()).isEqualTo(Verdict.PASS));
        assertThat(dot.unmetNeeds()).noneSatisfy(need -> assertThat(need.flow()).isEqualTo(SUMMARY));
        assertThat(dot.unmetNeeds()).anySatisfy(need -> {
            assertThat(need.capability()).isEqualTo("f");
            assertThat(need.status()).isEqualTo(DeploymentProfile.PLANNED);
        });
        assertThat(dot.passed()).isFalse();
    }

    @Test
    void onlyATestbedAdministratorSetsARunsSwitches(EmbeddedTestbed testbed) throws Exception {
        String gp = new TokenClient(testbed.connection().issuer())
                .forUser(TestbedConnection.DEFAULT_CLIENT, "gp.ashdown", "synthetic-password");
        HttpResponse<String> refused = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(testbed.fhirBase().replaceAll("/fhir$", "")
                                        + "/testbed/runs/someone-elses-run"))
                                .header("Authorization", "Bearer " + gp)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"disabledFlows\": [\"" + SUMMARY + "\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(403);
    }

    private record Run(Journey journey, RunSettings settings) {}

    /** Replays both runs at once against the one testbed, each with its own switches; results in the same order. */
    private static List<JourneyResult> concurrently(EmbeddedTestbed testbed, Run first, Run second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<JourneyResult> a = CompletableFuture.supplyAsync(() -> replay(testbed, first), pool);
            CompletableFuture<JourneyResult> b = CompletableFuture.supplyAsync(() -> replay(testbed, second), pool);
            List<JourneyResult> results = List.of(a.get(), b.get());
            results.forEach(r -> new ConsoleReport().print(r, System.out));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JourneyResult replay(EmbeddedTestbed testbed, Run run) {
        try {
            return new JourneyRunner(
                            FhirContext.forR4Cached(), testbed.connection(), testbed.realm(), Set.of(), run.settings())
                    .run(run.journey());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Journey journey(String id) {
        return new JourneyCatalogue().find(id).orElseThrow();
    }
}
