package org.ldrtestbed.scenarios.sut;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference GP system receiving over a MESH mailbox, with a WireMock playing the testbed's mailbox: it lists the
 * inbox, downloads, files once per document, acknowledges with its system token, and can then be asked for what it
 * filed by the document's identifier; its faults show over the mailbox too.
 */
class ReferenceGpMeshPollingTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String INBOX = "/mesh/messageexchange/SYNG09-MBX/inbox";
    private static final String ID = "20260302101500000_ABC123";

    private final WireMockServer testbed = new WireMockServer(options().dynamicPort());
    private ReferenceGpSystem system;

    @BeforeEach
    void startTestbed() {
        testbed.start();
    }

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
        testbed.stop();
    }

    @Test
    void aMessageInTheInboxIsDownloadedFiledOnceAndAcknowledged() {
        String identifier = UUID.randomUUID().toString();
        inboxHolds(ReferenceGpSystemTest.dischargeSummary(identifier));

        poll(Fault.NONE, Duration.ZERO);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> testbed.verify(
                        1,
                        putRequestedFor(urlPathEqualTo(INBOX + "/" + ID + "/status/acknowledged"))
                                .withHeader("Authorization", equalTo("Bearer gp-system-token"))));
        // The mailbox here never forgets the message: later polls must not download or file it again.
        int polled = listings();
        await().atMost(Duration.ofSeconds(20)).until(() -> listings() >= polled + 2);
        testbed.verify(1, getRequestedFor(urlPathEqualTo(INBOX + "/" + ID)));
        testbed.verify(1, putRequestedFor(urlPathEqualTo(INBOX + "/" + ID + "/status/acknowledged")));
        Bundle found = filed(identifier);
        assertThat(found.getEntry()).hasSize(1);
        Bundle stored = (Bundle) found.getEntryFirstRep().getResource();
        assertThat(stored.getIdentifier().getValue()).isEqualTo("urn:uuid:" + identifier);
        assertThat(nhsNumber(stored)).isEqualTo("9990000050");
        assertThat(filed(UUID.randomUUID().toString()).getEntry()).isEmpty();
    }

    @Test
    void aWrongPatientSystemFilesUnderAnotherNhsNumber() {
        String identifier = UUID.randomUUID().toString();
        inboxHolds(ReferenceGpSystemTest.dischargeSummary(identifier));

        poll(Fault.WRONG_PATIENT, Duration.ZERO);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        testbed.verify(1, putRequestedFor(urlPathEqualTo(INBOX + "/" + ID + "/status/acknowledged"))));
        Bundle stored = (Bundle) filed(identifier).getEntryFirstRep().getResource();
        assertThat(nhsNumber(stored)).isEqualTo(Fault.WRONG_NHS_NUMBER);
    }

    @Test
    void aLateSystemAcknowledgesOnlyAfterItsDelay() {
        String identifier = UUID.randomUUID().toString();
        inboxHolds(ReferenceGpSystemTest.dischargeSummary(identifier));

        poll(Fault.LATE, Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        testbed.verify(1, putRequestedFor(urlPathEqualTo(INBOX + "/" + ID + "/status/acknowledged"))));
        LoggedRequest downloaded = testbed.findAll(getRequestedFor(urlPathEqualTo(INBOX + "/" + ID)))
                .getFirst();
        LoggedRequest acknowledged = testbed.findAll(
                        putRequestedFor(urlPathEqualTo(INBOX + "/" + ID + "/status/acknowledged")))
                .getFirst();
        assertThat(Duration.between(
                        downloaded.getLoggedDate().toInstant(),
                        acknowledged.getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        // Filed at once all the same.
        assertThat(filed(identifier).getEntry()).hasSize(1);
    }

    @Test
    void aDocumentItCannotFileIsNeverAcknowledged() {
        Bundle notADocument = ReferenceGpSystemTest.dischargeSummary(
                        UUID.randomUUID().toString())
                .setType(Bundle.BundleType.COLLECTION);
        inboxHolds(notADocument);

        poll(Fault.NONE, Duration.ZERO);

        await().atMost(Duration.ofSeconds(20)).until(() -> system.meshProblem() != null);
        assertThat(system.meshProblem()).contains("was not filed").contains("Bundle.type must be document");
        int polled = listings();
        await().atMost(Duration.ofSeconds(20)).until(() -> listings() >= polled + 2);
        testbed.verify(0, putRequestedFor(urlPathEqualTo(INBOX + "/" + ID + "/status/acknowledged")));
    }

    private void inboxHolds(Bundle document) {
        testbed.stubFor(get(urlPathEqualTo(INBOX))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[\"" + ID + "\"]}")));
        testbed.stubFor(get(urlPathEqualTo(INBOX + "/" + ID))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/fhir+json")
                        .withHeader("mex-messageid", ID)
                        .withHeader("mex-workflowid", "TOC_FHIR_IP_DISCH")
                        .withBody(FHIR.newJsonParser().encodeResourceToString(document))));
        testbed.stubFor(put(urlPathEqualTo(INBOX + "/" + ID + "/status/acknowledged"))
                .willReturn(aResponse().withStatus(200).withBody("{\"messageId\":\"" + ID + "\"}")));
    }

    private void poll(Fault fault, Duration lateDelay) {
        system = new ReferenceGpSystem(0, fault, lateDelay)
                .start()
                .pollingMesh(URI.create(testbed.baseUrl()), () -> "gp-system-token", "SYNG09-MBX");
    }

    private int listings() {
        return testbed.findAll(getRequestedFor(urlPathEqualTo(INBOX))).size();
    }

    private Bundle filed(String identifier) {
        IGenericClient client = FHIR.newRestfulGenericClient(system.baseUrl());
        return client.search()
                .byUrl("Bundle?identifier=urn:ietf:rfc:3986%7Curn:uuid:" + identifier)
                .returnBundle(Bundle.class)
                .execute();
    }

    private static String nhsNumber(Bundle document) {
        return document.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .map(r -> DischargeSummaryInbox.nhsNumberOf((Patient) r)
                        .orElseThrow()
                        .getValue())
                .findFirst()
                .orElseThrow();
    }
}
