package org.ldrtestbed.routes.discharge;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.ldrtestbed.routes.sut.WireMessage;

/**
 * The discharge summary as it travels: the FHIR document Bundle (Composition first, PRSB headings as sections), with
 * what its checks found in it.
 *
 * @param document the document Bundle, as sent
 * @param json the same document as JSON, kept verbatim in the GP's copy
 * @param composition its Composition (type 373942005 Discharge summary)
 * @param nhsNumber the patient's NHS number (valid)
 * @param gpPractice ODS code of the patient's registered GP practice, the receiver
 * @param sender ODS code of the discharging organisation (Composition.custodian)
 */
public record DischargeDocument(
        Bundle document, String json, Composition composition, String nhsNumber, String gpPractice, String sender)
        implements WireMessage {

    /** The GP practice receives it: a GP system under test can take the practice's place. */
    @Override
    public String recipient() {
        return gpPractice;
    }

    /** The document Bundle as the acute trust sent it. */
    @Override
    public String wire() {
        return json;
    }
}
