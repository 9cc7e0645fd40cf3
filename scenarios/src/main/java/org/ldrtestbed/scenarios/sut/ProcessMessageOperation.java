package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;

/**
 * {@code POST [base]/$process-message}, the FHIR messaging endpoint, on a plain provider: a server-level operation
 * whose body is the message Bundle itself (not Parameters), handed to the {@link BarsMessageInbox}.
 */
public final class ProcessMessageOperation {

    public static final String NAME = "$process-message";

    private final FhirContext fhir;
    private final BarsMessageInbox inbox;

    ProcessMessageOperation(FhirContext fhir, BarsMessageInbox inbox) {
        this.fhir = fhir;
        this.inbox = inbox;
    }

    /** The body is read whole: the message Bundle is the body, which typed operation parameters do not bind. */
    @Operation(name = NAME, idempotent = false)
    public Bundle processMessage(RequestDetails request) {
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            throw new InvalidRequestException("a message Bundle body is required");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        // Entry ids as the sender gave them: the acknowledgement names the request's MessageHeader by its own id.
        IParser parser = (text.stripLeading().startsWith("<") ? fhir.newXmlParser() : fhir.newJsonParser())
                .setOverrideResourceIdWithBundleEntryFullUrl(false);
        try {
            return inbox.process(parser.parseResource(Bundle.class, text), request);
        } catch (DataFormatException | ClassCastException e) {
            throw new InvalidRequestException("the body must be a FHIR message Bundle: " + e.getMessage());
        }
    }
}
