package org.ldrtestbed.routes.delivery;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * A document that replaces another (DocumentReference.relatesTo {@code replaces}) leaves only itself current: the
 * one it replaces is marked {@code superseded}, idempotently, once the new one is filed.
 */
public final class Supersession {

    private Supersession() {}

    /** Marks superseded, at the recipient, every current document the filed one says it replaces. */
    public static String supersedeReplaced(DocumentReference filed, RecordDelivery delivery) {
        StringBuilder superseded = new StringBuilder();
        for (DocumentReference.DocumentReferenceRelatesToComponent relation : filed.getRelatesTo()) {
            if (relation.getCode() != DocumentReference.DocumentRelationshipType.REPLACES) {
                continue;
            }
            String old = relation.getTarget().getReference();
            if (old != null && old.startsWith("DocumentReference?") && delivery.exists(old + "&status=current")) {
                delivery.deliver(patch(old));
                superseded.append("; superseded ").append(old);
            }
        }
        return superseded.toString();
    }

    /** A FHIRPath Patch of the document {@code conditionalUrl} finds: its status becomes {@code superseded}. */
    static Bundle patch(String conditionalUrl) {
        Parameters patch = new Parameters();
        Parameters.ParametersParameterComponent operation = patch.addParameter().setName("operation");
        operation.addPart().setName("type").setValue(new CodeType("replace"));
        operation.addPart().setName("path").setValue(new StringType("DocumentReference.status"));
        operation.addPart().setName("value").setValue(new CodeType("superseded"));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(patch)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PATCH)
                .setUrl(conditionalUrl);
        return transaction;
    }
}
