package org.ldrtestbed.scenarios.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.llp.MinLowerLayerProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference GP system's MLLP listener (HAPI HL7v2's own server): it files an ADT once as an Encounter readable at
 * its FHIR base and acknowledges it, and each fault bends that as documented.
 */
class ReferenceGpMllpTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String ADMISSION = "SYNAC-MSG-A01-1";
    private static final Duration PATIENCE = Duration.ofSeconds(1);

    private ReferenceGpSystem system;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void anAdmissionIsFiledOnceAsAnEncounterOfThePatientAndAcknowledgedAa() throws Exception {
        system = new ReferenceGpSystem(0, Fault.NONE).start();

        String ack = send(admission(), Duration.ofSeconds(10));
        String again = send(admission(), Duration.ofSeconds(10));

        assertThat(ack).contains("MSA|AA|MSG-A01-1");
        assertThat(again).as("a redelivery is acknowledged too").contains("MSA|AA|MSG-A01-1");
        assertThat(filed(ADMISSION)).singleElement().satisfies(e -> {
            assertThat(e.getSubject().getIdentifier().getValue()).isEqualTo("9990000018");
            assertThat(e.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
            assertThat(e.getServiceProvider().getIdentifier().getValue()).isEqualTo("SYNAC");
        });
        assertThat(system.mllpAddress()).isEqualTo("127.0.0.1:" + system.mllpPort());
    }

    @Test
    void wrongPatientFilesUnderAnotherNhsNumberAndStillAcknowledges() throws Exception {
        system = new ReferenceGpSystem(0, Fault.WRONG_PATIENT).start();

        assertThat(send(admission(), Duration.ofSeconds(10))).contains("MSA|AA|");
        assertThat(filed(ADMISSION))
                .singleElement()
                .satisfies(e ->
                        assertThat(e.getSubject().getIdentifier().getValue()).isEqualTo(Fault.WRONG_NHS_NUMBER));
    }

    @Test
    void invalidFilesButAnswersWithNoAcknowledgement() throws Exception {
        system = new ReferenceGpSystem(0, Fault.INVALID).start();

        String answer = send(admission(), Duration.ofSeconds(10));

        assertThat(answer).startsWith("MSH|").doesNotContain("MSA|");
        assertThat(filed(ADMISSION)).hasSize(1);
    }

    @Test
    void serverErrorAnswersAeAndFilesNothing() throws Exception {
        system = new ReferenceGpSystem(0, Fault.SERVER_ERROR).start();

        assertThat(send(admission(), Duration.ofSeconds(10))).contains("MSA|AE|MSG-A01-1");
        assertThat(filed(ADMISSION)).isEmpty();
    }

    @Test
    void silenceNeverAnswersAndFilesNothing() throws Exception {
        system = new ReferenceGpSystem(0, Fault.SILENCE).start();

        assertThatThrownBy(() -> send(admission(), PATIENCE)).isInstanceOf(IOException.class);
        assertThat(filed(ADMISSION)).isEmpty();
    }

    @Test
    void lateFilesTheFirstDeliveryAndAcknowledgesItTooLateButARedeliveryAtOnce() throws Exception {
        system = new ReferenceGpSystem(0, Fault.LATE, Duration.ofSeconds(3)).start();

        assertThatThrownBy(() -> send(admission(), PATIENCE)).isInstanceOf(IOException.class);
        assertThat(filed(ADMISSION)).hasSize(1);
        assertThat(send(admission(), Duration.ofSeconds(2))).contains("MSA|AA|MSG-A01-1");
        assertThat(filed(ADMISSION)).hasSize(1);
    }

    @Test
    void aMessageWithoutAnNhsNumberIsRejectedAr() throws Exception {
        system = new ReferenceGpSystem(0, Fault.NONE).start();

        String ack = send(admission().replace("9990000018^^^NHS^NH", "12345^^^RHM^MR"), Duration.ofSeconds(10));

        assertThat(ack).contains("MSA|AR|MSG-A01-1");
        assertThat(filed(ADMISSION)).isEmpty();
    }

    /** Sends over MLLP with HAPI's framing and returns the answer as text; IOException when none comes in time. */
    private String send(String er7, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", system.mllpPort()), 5_000);
            socket.setSoTimeout((int) timeout.toMillis());
            MinLowerLayerProtocol llp = new MinLowerLayerProtocol();
            llp.getWriter(socket.getOutputStream()).writeMessage(er7);
            String answer = llp.getReader(socket.getInputStream()).getMessage();
            if (answer == null) {
                throw new IOException("no answer within " + timeout);
            }
            return answer;
        } catch (LLPException e) {
            throw new IOException(e);
        }
    }

    private List<Encounter> filed(String messageKey) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.baseUrl()
                                        + "/Encounter?identifier="
                                        + AdtNotificationInbox.MESSAGE_SYSTEM + "%7C" + messageKey))
                                .header("Accept", "application/fhir+json")
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getEntry().stream()
                .map(e -> (Encounter) e.getResource())
                .toList();
    }

    private static String admission() throws IOException {
        try (InputStream in = ReferenceGpMllpTest.class.getResourceAsStream("/hl7v2/samples/adt-a01.hl7")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .strip()
                    .replace("\r\n", "\r")
                    .replace('\n', '\r');
        }
    }
}
