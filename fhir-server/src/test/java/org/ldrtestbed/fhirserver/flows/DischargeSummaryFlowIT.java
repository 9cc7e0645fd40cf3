package org.ldrtestbed.fhirserver.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import jakarta.jms.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.FlowRouteConfiguration;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * The discharge-summary flow end to end inside the server: the acute trust's write starts it, the GP practice's
 * record receives it; a redelivered document changes nothing; an invalid one is dead-lettered with its reason.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class DischargeSummaryFlowIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    JmsTemplate jms;

    @Test
    void summaryWrittenByTheAcuteTrustIsFiledInTheGpRecord() {
        String nhs = testbed().registerPatient();

        testbed().as("dischargenurse.quinn").create().resource(document(nhs)).execute();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(testbed()
                            .count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                                    + "&custodian=Organization/SYNG09&type=http://snomed.info/sct%7C373942005"))
                    .isEqualTo(1);
            assertThat(testbed()
                            .count("Task?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                                    + "&owner=Organization/SYNG09"))
                    .isEqualTo(1);
        });
    }

    @Test
    void summaryWrittenByAGpPracticeStartsNoFlow() {
        String nhs = testbed().registerPatient();
        NotifyBuilder delivered = new NotifyBuilder(camel)
                .fromRoute("discharge-summary")
                .whenDone(1)
                .create();

        // The flow's source setting is acute: the same document written by a GP practice is not sent anywhere.
        testbed().as("gp.ashdown").create().resource(document(nhs)).execute();

        assertThat(delivered.matches(3, TimeUnit.SECONDS)).isFalse();
        assertThat(testbed().count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                .isZero();
    }

    @Test
    void aSummaryTheFlowCannotCarryIsRefusedWith422AndNothingIsStored() {
        String nhs = testbed().registerPatient();
        Bundle document = document(nhs);
        ((org.hl7.fhir.r4.model.Patient) document.getEntry().get(1).getResource())
                .getGeneralPractitioner()
                .clear();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> testbed()
                        .as("dischargenurse.quinn")
                        .create()
                        .resource(document)
                        .execute())
                .isInstanceOfSatisfying(
                        ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException.class,
                        e -> assertThat(e.getMessage())
                                .contains("flow discharge-summary")
                                .contains("generalPractitioner"));
        assertThat(testbed()
                        .count("Bundle?identifier=urn:ietf:rfc:3986%7C"
                                + document.getIdentifier().getValue()))
                .isZero();
    }

    @Test
    void redeliveredDocumentIsFiledOnce() {
        String nhs = testbed().registerPatient();
        String json = FHIR.newJsonParser().encodeResourceToString(document(nhs));
        NotifyBuilder twice = new NotifyBuilder(camel)
                .fromRoute("discharge-summary")
                .whenCompleted(2)
                .create();

        // At-least-once delivery means the receiver may see the same message again.
        for (int i = 0; i < 2; i++) {
            producer.sendBodyAndHeader(
                    "jms:queue:ldr.flow.discharge-summary", json, FlowHeaders.FLOW, "discharge-summary");
        }

        assertThat(twice.matches(30, TimeUnit.SECONDS)).isTrue();
        assertThat(testbed().count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                .isEqualTo(1);
        assertThat(testbed().count("Task?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                .isEqualTo(1);
    }

    @Test
    void documentWithInvalidNhsNumberIsDeadLetteredWithItsReason() throws Exception {
        String invalid = "9990000019"; // fails Modulus 11
        assertThat(NhsNumber.isValid(invalid)).isFalse();
        String json = FHIR.newJsonParser().encodeResourceToString(document(invalid));

        String messageId = UUID.randomUUID().toString();
        producer.sendBodyAndHeader("jms:queue:ldr.flow.discharge-summary", json, FlowHeaders.MESSAGE_ID, messageId);

        jms.setReceiveTimeout(30_000);
        Message dead = jms.receiveSelected(
                FlowRouteConfiguration.DEAD_LETTER_QUEUE, FlowHeaders.MESSAGE_ID + " = '" + messageId + "'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty(FlowHeaders.DEAD_LETTER_REASON)).contains("Modulus 11");
        assertThat(dead.getBody(String.class)).isEqualTo(json);
        assertThat(testbed().count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + invalid))
                .isZero();
    }

    private static Bundle document(String nhsNumber) {
        try {
            String json = new ClassPathResource("fhir/samples/discharge-summary.json")
                    .getContentAsString(StandardCharsets.UTF_8)
                    .replace("${NHS}", nhsNumber)
                    .replace("${DOC_ID}", UUID.randomUUID().toString());
            return FHIR.newJsonParser().parseResource(Bundle.class, json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
