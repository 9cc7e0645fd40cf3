package org.ldrtestbed.routes.contract;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Resource;

/**
 * A FHIR messaging acknowledgement as the standard shapes it: a response message Bundle (type {@code message}) whose
 * first entry is a MessageHeader with {@code response.identifier} = the request MessageHeader's id and {@code
 * response.code} = {@code ok}, {@code transient-error} or {@code fatal-error}. Read by the testbed's {@code
 * process-message} transport and by the conformance check alike.
 *
 * @param requestHeaderId the request MessageHeader's id the response names
 * @param code {@link #OK}, {@link #TRANSIENT_ERROR} or {@link #FATAL_ERROR}
 * @param response the response Bundle as parsed
 */
public record MessageAcknowledgement(String requestHeaderId, String code, Bundle response) {

    public static final String OK = "ok";
    public static final String TRANSIENT_ERROR = "transient-error";
    public static final String FATAL_ERROR = "fatal-error";

    /** Whether the acknowledgement answers this request MessageHeader with {@code ok}. */
    public boolean acknowledgesOk(String headerId) {
        return OK.equals(code) && headerId != null && headerId.equals(requestHeaderId);
    }

    /**
     * Reads an answer to {@code $process-message} as an acknowledgement.
     *
     * @return the acknowledgement, or why the answer is not one
     */
    public static Result read(FhirContext fhirContext, String body) {
        if (body == null || body.isBlank()) {
            return new Result(null, "the answer has no body");
        }
        Bundle bundle;
        try {
            bundle = parser(fhirContext).parseResource(Bundle.class, body);
        } catch (DataFormatException | ClassCastException e) {
            return new Result(null, "the answer is not a FHIR Bundle: " + e.getMessage());
        }
        if (bundle.getType() != Bundle.BundleType.MESSAGE) {
            return new Result(null, "the answer is a " + bundle.getType() + " Bundle, not a message");
        }
        Resource first = bundle.getEntryFirstRep().getResource();
        if (!(first instanceof MessageHeader header)) {
            return new Result(null, "the response Bundle's first entry is not a MessageHeader");
        }
        if (!header.hasResponse()
                || !header.getResponse().hasIdentifier()
                || !header.getResponse().hasCode()) {
            return new Result(null, "the MessageHeader has no response.identifier and response.code");
        }
        return new Result(
                new MessageAcknowledgement(
                        header.getResponse().getIdentifier(),
                        header.getResponse().getCode().toCode(),
                        bundle),
                null);
    }

    /** The id of a request message's MessageHeader (its first entry), as the message itself gives it. */
    public static Optional<String> requestHeaderId(FhirContext fhirContext, String message) {
        try {
            Bundle bundle = parser(fhirContext).parseResource(Bundle.class, message);
            return Optional.ofNullable(bundle.getEntryFirstRep().getResource())
                    .filter(MessageHeader.class::isInstance)
                    .map(r -> r.getIdElement().getIdPart());
        } catch (DataFormatException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** Ids as the message gives them, not replaced by the entries' {@code urn:uuid} full URLs. */
    private static IParser parser(FhirContext fhirContext) {
        return fhirContext.newJsonParser().setOverrideResourceIdWithBundleEntryFullUrl(false);
    }

    /** An acknowledgement, or why the answer is not one. */
    public record Result(MessageAcknowledgement acknowledgement, String problem) {
        public Optional<MessageAcknowledgement> ok() {
            return Optional.ofNullable(acknowledgement);
        }
    }
}
