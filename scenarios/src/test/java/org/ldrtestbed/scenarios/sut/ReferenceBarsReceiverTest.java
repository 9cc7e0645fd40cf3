package org.ldrtestbed.scenarios.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.MessageAcknowledgement;

/** The reference ambulance service system: what it keeps of a BaRS message, how it acknowledges, and its faults. */
class ReferenceBarsReceiverTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String DOT = "9990000077";
    private static final FhirValidator VALIDATOR = validator();

    private final HttpClient http = HttpClient.newHttpClient();
    private ReferenceBarsReceiver system;

    private static FhirValidator validator() {
        FhirValidator validator = FHIR.newValidator();
        validator.registerValidatorModule(new FhirInstanceValidator(FHIR));
        return validator;
    }

    @AfterEach
    void close() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aReferralIsKeptOnceAndAcknowledgedOkWithAValidResponseMessage() throws Exception {
        start(Fault.NONE);
        String headerId = UUID.randomUUID().toString();
        Bundle message = referral(headerId, "msg-1", DOT);

        HttpResponse<String> first = post(message);
        HttpResponse<String> redelivered = post(message);

        assertThat(first.statusCode()).isEqualTo(200);
        MessageAcknowledgement ack = acknowledgement(first);
        assertThat(ack.acknowledgesOk(headerId)).isTrue();
        assertThat(errors(first.body())).isZero();
        assertThat(acknowledgement(redelivered).acknowledgesOk(headerId)).isTrue();
        Bundle kept = search("Bundle?identifier=" + encode("urn:ietf:rfc:3986|urn:uuid:msg-1"));
        assertThat(kept.getEntry()).hasSize(1);
        Bundle stored = (Bundle) kept.getEntryFirstRep().getResource();
        assertThat(nhsNumber(stored)).isEqualTo(DOT);
        assertThat(get("Bundle/" + stored.getIdElement().getIdPart()).statusCode())
                .isEqualTo(200);
        Bundle worklist = search("Task");
        assertThat(worklist.getEntry())
                .singleElement()
                .satisfies(e -> assertThat(((Task) e.getResource())
                                .getFor()
                                .getIdentifier()
                                .getValue())
                        .isEqualTo(DOT));
    }

    @Test
    void aMessageWithoutTheNhsNumberIsAcknowledgedFatalErrorAndNotKept() throws Exception {
        start(Fault.NONE);
        String headerId = UUID.randomUUID().toString();
        Bundle message = referral(headerId, "msg-2", DOT);
        ((ServiceRequest) message.getEntry().get(1).getResource()).getSubject().setIdentifier(null);

        MessageAcknowledgement ack = acknowledgement(post(message));

        assertThat(ack.code()).isEqualTo(MessageAcknowledgement.FATAL_ERROR);
        assertThat(ack.requestHeaderId()).isEqualTo(headerId);
        assertThat(search("Bundle?identifier=" + encode("urn:uuid:msg-2")).getEntry())
                .isEmpty();
    }

    @Test
    void wrongPatientAcknowledgesOkButKeepsTheReferralUnderAnotherNhsNumber() throws Exception {
        start(Fault.WRONG_PATIENT);
        String headerId = UUID.randomUUID().toString();

        assertThat(acknowledgement(post(referral(headerId, "msg-3", DOT))).acknowledgesOk(headerId))
                .isTrue();

        Bundle kept = search("Bundle?identifier=" + encode("urn:uuid:msg-3"));
        assertThat(nhsNumber((Bundle) kept.getEntryFirstRep().getResource())).isEqualTo(Fault.WRONG_NHS_NUMBER);
    }

    @Test
    void invalidAcknowledgesWithAMessageHeaderThatFailsValidation() throws Exception {
        start(Fault.INVALID);
        String headerId = UUID.randomUUID().toString();

        HttpResponse<String> answer = post(referral(headerId, "msg-4", DOT));

        assertThat(acknowledgement(answer).acknowledgesOk(headerId)).isTrue();
        assertThat(errors(answer.body())).isPositive();
    }

    @Test
    void fiveHundredAnswers503AndKeepsNothing() throws Exception {
        start(Fault.SERVER_ERROR);

        assertThat(post(referral(UUID.randomUUID().toString(), "msg-5", DOT)).statusCode())
                .isEqualTo(503);
        assertThat(search("Task").getEntry()).isEmpty();
    }

    @Test
    void silenceNeverAnswers() {
        start(Fault.SILENCE);
        HttpRequest request = postRequest(referral(UUID.randomUUID().toString(), "msg-6", DOT))
                .timeout(Duration.ofSeconds(1))
                .build();

        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    private void start(Fault fault) {
        system = new ReferenceBarsReceiver(0, fault).start();
    }

    /** NHS 111's referral of Dot (synthetic) as a BaRS servicerequest-request message. */
    static Bundle referral(String headerId, String identifier, String nhsNumber) {
        String focus = "urn:uuid:" + UUID.randomUUID();
        ServiceRequest referral = new ServiceRequest();
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.getCode().setText("Ambulance response - face-to-face assessment at home");
        referral.setSubject(new Reference("Patient/7")
                .setIdentifier(new Identifier().setSystem(NHS).setValue(nhsNumber)));
        MessageHeader header = new MessageHeader();
        header.setId(headerId);
        header.setEvent(
                new Coding("https://fhir.nhs.uk/CodeSystem/message-events-bars", "servicerequest-request", null));
        header.setSource(new MessageHeader.MessageSourceComponent().setEndpoint("https://fhir.ldr-testbed.example"));
        header.addFocus(new Reference(focus));
        Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
        message.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + identifier));
        message.setTimestamp(new Date());
        message.addEntry().setFullUrl("urn:uuid:" + headerId).setResource(header);
        message.addEntry().setFullUrl(focus).setResource(referral);
        return message;
    }

    private HttpRequest.Builder postRequest(Bundle message) {
        return HttpRequest.newBuilder(URI.create(system.baseUrl() + "/$process-message"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(message)));
    }

    private HttpResponse<String> post(Bundle message) throws IOException, InterruptedException {
        return http.send(postRequest(message).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(system.baseUrl() + "/" + path))
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private Bundle search(String query) throws IOException, InterruptedException {
        HttpResponse<String> answer = get(query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
    }

    private static MessageAcknowledgement acknowledgement(HttpResponse<String> answer) {
        MessageAcknowledgement.Result read = MessageAcknowledgement.read(FHIR, answer.body());
        assertThat(read.problem()).as(answer.body()).isNull();
        return read.acknowledgement();
    }

    private static long errors(String json) {
        return VALIDATOR.validateWithResult(json).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .count();
    }

    private static String nhsNumber(Bundle message) {
        return message.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(ServiceRequest.class::isInstance)
                .map(r -> ((ServiceRequest) r).getSubject().getIdentifier().getValue())
                .findFirst()
                .orElse(null);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
