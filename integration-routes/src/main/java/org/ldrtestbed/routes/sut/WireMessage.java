package org.ldrtestbed.routes.sut;

/**
 * A translated flow message that a system under test can receive in the simulated recipient's place: it says who the
 * recipient is and what goes over the wire. A flow whose translation is not one is always filed in the shared record.
 */
public interface WireMessage {

    /** ODS code of the receiving organisation. */
    String recipient();

    /** The message as it goes over the wire (FHIR JSON for a FHIR transport). */
    String wire();

    /** The patient's NHS number, as the message says. */
    String nhsNumber();

    /** ODS code of the sending organisation, where the message says (a MESH message names its sender's mailbox). */
    default String sender() {
        return null;
    }
}
