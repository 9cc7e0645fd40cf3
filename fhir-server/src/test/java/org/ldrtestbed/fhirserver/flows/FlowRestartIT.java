package org.ldrtestbed.fhirserver.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

/**
 * A message still being retried when the testbed stops is delivered exactly once by the next testbed on the same
 * store and broker journal: the broker keeps it because its transaction never committed, and the receiver files it
 * idempotently.
 */
class FlowRestartIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void messageInFlightWhenTheTestbedStopsIsDeliveredOnceAfterRestart() throws Exception {
        Path data = Files.createTempDirectory("ldr-testbed-restart-");
        String journey = "restart-" + UUID.randomUUID();
        String nhs;
        try (TestDatabase database = TestDatabase.create()) {
            // First life: the receiver is unreachable, so the summary keeps being retried.
            try (ConfigurableApplicationContext first = start(
                    database,
                    data,
                    Map.of(
                            "testbed.routes.recipient-base-url", "http://localhost:" + freePort() + "/fhir",
                            "testbed.routes.max-redeliveries", "1000",
                            "testbed.routes.redelivery-delay", "PT0.3S"))) {
                nhs = testbed(first).registerPatient();
                sendSummary(first, nhs, journey);
                MessageLog log = first.getBean(MessageLog.class);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> stages(log, journey).contains(Stage.FAILED));
            }

            // Second life: same database, same broker journal, receiver reachable.
            try (ConfigurableApplicationContext second = start(database, data, Map.of())) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> testbed(second)
                                        .count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                                > 0);
                assertThat(testbed(second)
                                .count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                        .isEqualTo(1);
                assertThat(testbed(second).count("Task?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                        .isEqualTo(1);
                List<MessageLogEntry> entries =
                        second.getBean(MessageLog.class).search(new MessageQuery(null, null, journey, null, null, 0));
                assertThat(entries)
                        .extracting(MessageLogEntry::messageId)
                        .containsOnly(entries.getFirst().messageId());
                assertThat(entries)
                        .extracting(MessageLogEntry::stage)
                        .contains(Stage.RECEIVED, Stage.FAILED)
                        .doesNotContain(Stage.DEAD_LETTERED)
                        .filteredOn(Stage.DELIVERED::equals)
                        .hasSize(1);
            }
        }
    }

    private static List<Stage> stages(MessageLog log, String journey) {
        return log.search(new MessageQuery(null, null, journey, null, null, 0)).stream()
                .map(MessageLogEntry::stage)
                .toList();
    }

    private static ConfigurableApplicationContext start(
            TestDatabase database, Path data, Map<String, String> properties) {
        Map<String, Object> all = new LinkedHashMap<>(database.springProperties());
        all.put("server.port", "0");
        all.put("testbed.data-dir", data.toString());
        all.put("testbed.routes.mllp-port", String.valueOf(freePort()));
        all.putAll(properties);
        return new SpringApplicationBuilder(FhirServerApplication.class)
                .run(all.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    private static void sendSummary(ConfigurableApplicationContext context, String nhs, String journey)
            throws Exception {
        String json = new ClassPathResource("fhir/samples/discharge-summary.json")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("${NHS}", nhs)
                .replace("${DOC_ID}", UUID.randomUUID().toString());
        testbed(context)
                .as("dischargenurse.quinn", journey)
                .create()
                .resource(FHIR.newJsonParser().parseResource(Bundle.class, json))
                .execute();
    }

    private static int freePort() {
        return org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer.freePort();
    }

    private static TestbedClient testbed(ConfigurableApplicationContext context) {
        return new TestbedClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
