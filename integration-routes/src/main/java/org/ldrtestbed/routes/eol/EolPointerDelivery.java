package org.ldrtestbed.routes.eol;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.Supersession;

/**
 * Files the pointer at the (simulated) National Record Locator, once per plan, then marks superseded the pointers of
 * the plans it replaces, so only one is current.
 */
public final class EolPointerDelivery implements FlowDelivery<DocumentReference> {

    private final RecordDelivery locator;

    public EolPointerDelivery(RecordDelivery locator) {
        this.locator = locator;
    }

    @Override
    public String deliver(DocumentReference pointer) {
        return RecordDelivery.summarise(locator.deliver(filing(pointer)))
                + Supersession.supersedeReplaced(pointer, locator);
    }

    /** Creates the pointer unless the locator already holds one for the plan. */
    public static Bundle filing(DocumentReference pointer) {
        return Filings.createOnce(
                pointer.copy(),
                EolPointerTranslator.POINTER_SYSTEM,
                pointer.getMasterIdentifier().getValue());
    }
}
