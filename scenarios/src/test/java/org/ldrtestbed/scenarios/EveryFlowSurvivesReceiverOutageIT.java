package org.ldrtestbed.scenarios;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.scenarios.bench.BenchedFlow;
import org.ldrtestbed.scenarios.bench.FlowBenchmark;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;

/**
 * Every flow the benchmark can drive, through a receiver that answers 503 twice before it recovers (a WireMock proxy
 * in front of the recipient's record): each message is retried, delivered exactly once, and never dead-lettered.
 */
class EveryFlowSurvivesReceiverOutageIT {

    private static final FlowCatalogue FLOWS = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);

    private static WireMockServer receiver;
    private static TestDatabase database;
    private static EmbeddedTestbed testbed;
    private static FlowBenchmark driver;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.create();
        receiver = new WireMockServer(options().dynamicPort());
        receiver.start();
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("testbed.routes.recipient-base-url", "http://localhost:" + receiver.port() + "/fhir");
        properties.put("testbed.routes.redelivery-delay", "PT0.2S");
        properties.put("testbed.routes.max-redeliveries", "6");
        testbed = EmbeddedTestbed.start(Files.createTempDirectory("ldr-outage-it-"), Set.of(), properties);
        // Everything the routes send the recipient goes on to this testbed's own record once the outage is over.
        receiver.stubFor(any(anyUrl())
                .atPriority(10)
                .willReturn(aResponse().proxiedFrom(testbed.fhirBase().replaceAll("/fhir$", ""))));
        driver = new FlowBenchmark(testbed.connection(), testbed.realm());
    }

    @AfterAll
    static void stop() throws Exception {
        if (testbed != null) {
            testbed.close();
        }
        if (receiver != null) {
            receiver.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    static Stream<String> flows() {
        return FlowBenchmark.FLOWS.stream().map(BenchedFlow::code);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void deliveredOnceAfterTwo503s(String code) throws Exception {
        BenchedFlow flow = FlowBenchmark.FLOWS.stream()
                .filter(f -> f.code().equals(code))
                .findFirst()
                .orElseThrow();
        String nhs = driver.registerPatients(1).getFirst();
        // Only this flow runs, so no other flow's message meets (and uses up) the outage.
        List<String> others = FLOWS.flows().stream()
                .map(SharingFlow::code)
                .filter(c -> !c.equals(code))
                .toList();
        others.forEach(testbed.flows()::disable);
        try {
            outage(2);
            flow.send(driver.context(), nhs);
            awaitDelivery(code, nhs);
        } finally {
            others.forEach(testbed.flows()::enable);
        }

        assertThat(entries(code, nhs, Stage.DELIVERED)).as("delivered").hasSize(1);
        assertThat(entries(code, nhs, Stage.FAILED))
                .as("attempts that met the outage")
                .hasSizeGreaterThanOrEqualTo(1)
                .allSatisfy(f -> assertThat(f.detail()).contains("503"));
        assertThat(entries(code, nhs, Stage.DEAD_LETTERED)).as("dead-lettered").isEmpty();
    }

    private static void awaitDelivery(String code, String nhs) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        while (entries(code, nhs, Stage.DELIVERED).isEmpty() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // time for a (wrong) second delivery to show
    }

    /** The next {@code failures} requests to the recipient's record get 503; then it recovers. */
    private static void outage(int failures) {
        receiver.resetScenarios();
        for (int i = 0; i < failures; i++) {
            receiver.stubFor(any(urlMatching("/fhir.*"))
                    .atPriority(1)
                    .inScenario("outage")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i)
                    .willReturn(aResponse().withStatus(503).withBody("receiver briefly unavailable"))
                    .willSetStateTo("failed-" + (i + 1)));
        }
    }

    private static List<MessageLogEntry> entries(String flow, String nhs, Stage stage) {
        return testbed.messageLog().search(new MessageQuery(nhs, flow, null, null, stage, 0));
    }
}
