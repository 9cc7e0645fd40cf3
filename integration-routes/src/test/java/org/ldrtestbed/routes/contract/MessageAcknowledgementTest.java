package org.ldrtestbed.routes.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;

/** Reading a {@code $process-message} answer as the standard's acknowledgement, and what is not one. */
class MessageAcknowledgementTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void anAckNamesTheRequestHeaderAndItsCode() {
        MessageAcknowledgement.Result read = MessageAcknowledgement.read(FHIR, ack("h-1", "ok"));

        assertThat(read.problem()).isNull();
        assertThat(read.acknowledgement().requestHeaderId()).isEqualTo("h-1");
        assertThat(read.acknowledgement().code()).isEqualTo(MessageAcknowledgement.OK);
        assertThat(read.acknowledgement().acknowledgesOk("h-1")).isTrue();
        assertThat(read.acknowledgement().acknowledgesOk("h-2")).isFalse();
        assertThat(MessageAcknowledgement.read(FHIR, ack("h-1", "fatal-error"))
                        .acknowledgement()
                        .acknowledgesOk("h-1"))
                .isFalse();
    }

    @Test
    void answersThatAreNoAcknowledgementSayWhy() {
        assertThat(MessageAcknowledgement.read(FHIR, "").problem()).contains("no body");
        assertThat(MessageAcknowledgement.read(FHIR, "{\"resourceType\":\"OperationOutcome\"}")
                        .problem())
                .contains("not a FHIR Bundle");
        assertThat(MessageAcknowledgement.read(FHIR, "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")
                        .problem())
                .contains("not a message");
        assertThat(MessageAcknowledgement.read(
                                FHIR,
                                "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"resource\":"
                                        + "{\"resourceType\":\"MessageHeader\",\"eventCoding\":{\"code\":\"x\"}}}]}")
                        .problem())
                .contains("no response.identifier");
    }

    @Test
    void theRequestHeaderIdIsTheMessagesOwnNotItsFullUrl() {
        String message = "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"fullUrl\":"
                + "\"urn:uuid:0f1e\",\"resource\":{\"resourceType\":\"MessageHeader\",\"id\":\"0f1e\"}}]}";

        assertThat(MessageAcknowledgement.requestHeaderId(FHIR, message)).contains("0f1e");
        assertThat(MessageAcknowledgement.requestHeaderId(FHIR, "{\"resourceType\":\"Bundle\"}"))
                .isEmpty();
    }

    private static String ack(String answers, String code) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"resource\":{\"resourceType\":"
                + "\"MessageHeader\",\"eventCoding\":{\"code\":\"servicerequest-response\"},\"response\":"
                + "{\"identifier\":\"" + answers + "\",\"code\":\"" + code + "\"}}}]}";
    }
}
