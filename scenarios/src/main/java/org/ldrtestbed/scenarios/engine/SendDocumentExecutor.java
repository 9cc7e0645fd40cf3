package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.ldrtestbed.scenarios.journey.Step.SendDocument;

/**
 * Runs a {@code send-document} action: builds a FHIR document (Composition first, every entry a urn:uuid) with a
 * fresh identifier and the simulated time, and posts it as the actor's system would send it; or, where a system under
 * test sends it in the organisation's place, waits for that system's document instead and labels what arrived.
 */
final class SendDocumentExecutor {

    private final FhirContext fhirContext;
    private final Templates templates;
    private final Bindings bindings;

    SendDocumentExecutor(FhirContext fhirContext, Templates templates, Bindings bindings) {
        this.fhirContext = fhirContext;
        this.templates = templates;
        this.bindings = bindings;
    }

    String execute(SendDocument send, ActorSession session, Templates.Scope stepScope) {
        Bundle document = document(send, stepScope);
        org.hl7.fhir.instance.model.api.IIdType stored =
                session.client().create().resource(document).execute().getId();
        String id = label(send, stored);
        return "sent document " + document.getIdentifier().getValue() + " (stored as " + id + ") for flow "
                + send.flow();
    }

    /** The document the action sends, templates filled. */
    Bundle document(SendDocument send, Templates.Scope stepScope) {
        LocalEntries entries = new LocalEntries(send.resources(), stepScope, bindings.journeyStart());
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(LocalEntries.newFullUrl()));
        document.setTimestamp(Date.from(stepScope.now()));
        document.addEntry()
                .setFullUrl(LocalEntries.newFullUrl())
                .setResource(entries.parse(fhirContext, templates, send.composition()));
        for (int i = 0; i < send.resources().size(); i++) {
            document.addEntry()
                    .setFullUrl(entries.fullUrl(i))
                    .setResource(entries.parse(
                            fhirContext, templates, i, send.resources().get(i).resource()));
        }
        return document;
    }

    /**
     * Waits for the system under test's document in the action's place; what the testbed filed of it takes the
     * action's label, so later steps name what really arrived.
     */
    org.ldrtestbed.scenarios.report.JourneyResult.ActionResult awaitSystem(
            SendDocument send, Templates.Scope stepScope, SupplierMode supplierMode, DocumentTurnFacts turn)
            throws InterruptedException {
        String example = fhirContext.newJsonParser().encodeResourceToString(document(send, stepScope));
        SupplierMode.SentDocument sent = supplierMode.awaitDocument(turn.with(example));
        if (sent.stored() != null) {
            label(send, new IdType(sent.stored()));
        }
        return sent.result();
    }

    private String label(SendDocument send, org.hl7.fhir.instance.model.api.IIdType stored) {
        String id = stored.toUnqualifiedVersionless().getValue();
        bindings.versionSeen(id, stored.getVersionIdPart());
        if (send.label() != null) {
            bindings.bind(send.label(), id);
        }
        return id;
    }

    /** A {@link SupplierMode.DocumentTurn} but for the document, which this executor builds. */
    interface DocumentTurnFacts {
        SupplierMode.DocumentTurn with(String document);
    }
}
