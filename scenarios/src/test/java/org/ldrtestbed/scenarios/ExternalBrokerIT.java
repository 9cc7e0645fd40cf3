package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.report.JourneyResult;

/**
 * The external-broker option: a testbed whose flows' queues live on a separate Artemis broker, reached over TCP
 * (the broker runs in this JVM but shares nothing with the testbed but its network port). Leo's journey passes and
 * its flow messages are seen passing through that broker's queues.
 */
class ExternalBrokerIT {

    @Test
    void flowsRunOverAnExternalBroker() throws Exception {
        int port = freePort();
        Path brokerData = Files.createTempDirectory("ldr-broker-");
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(brokerData.resolve("journal").toString())
                .setBindingsDirectory(brokerData.resolve("bindings").toString())
                .setPagingDirectory(brokerData.resolve("paging").toString())
                .setLargeMessagesDirectory(brokerData.resolve("large").toString())
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        Map<String, Object> properties =
                new java.util.HashMap<>(EmbeddedTestbed.externalBroker("tcp://127.0.0.1:" + port));
        try (TestDatabase database = TestDatabase.create();
                EmbeddedTestbed testbed = EmbeddedTestbed.start(
                        Files.createTempDirectory("ldr-testbed-broker-it-"),
                        Set.of(),
                        withDatabase(properties, database))) {
            JourneyResult result = JourneyITSupport.replay(
                    testbed, new JourneyCatalogue().find("leo-child-protection").orElseThrow());

            assertThat(result.passed()).isTrue();
            for (String flow : new String[] {"cp-is-plan-upload", "cp-is-access"}) {
                Queue queue = broker.getActiveMQServer().locateQueue(SimpleString.of("ldr.flow." + flow));
                assertThat(queue).as(flow + " queue on the external broker").isNotNull();
                assertThat(queue.getMessagesAdded()).as(flow).isGreaterThanOrEqualTo(1);
                assertThat(queue.getMessageCount())
                        .as(flow + " left undelivered")
                        .isZero();
            }
        } finally {
            broker.stop();
        }
    }

    private static Map<String, Object> withDatabase(Map<String, Object> properties, TestDatabase database) {
        properties.putAll(database.springProperties());
        return properties;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
