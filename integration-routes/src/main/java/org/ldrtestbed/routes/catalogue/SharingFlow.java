package org.ldrtestbed.routes.catalogue;

import java.time.Duration;

/**
 * One record-sharing flow of the catalogue. The {@code code} is also the Camel route id: a public contract used by
 * tests, logs, metrics and the message log.
 *
 * @param code kebab-case flow code, e.g. {@code discharge-summary}
 * @param capability the Universal Capability letter (a–j) the flow serves, or {@code record-sharing}
 * @param title what the flow does, for reports
 * @param sourceSetting care setting of the sending organisation
 * @param targetSetting care setting of the receiving organisation
 * @param messageShape the message the flow carries
 * @param standard the national standard the shape follows
 * @param trigger which committed resource starts the flow
 * @param nhsNumber FHIRPath that finds the patient's NHS number in the message, for the message log
 * @param deliveredBy the realm client the flow's route delivers as (the receiving system)
 * @param timeliness the standard the flow is held to
 * @param timelinessFrom the event timeliness is measured from
 */
public record SharingFlow(
        String code,
        String capability,
        String title,
        String sourceSetting,
        String targetSetting,
        String messageShape,
        String standard,
        Trigger trigger,
        String nhsNumber,
        String deliveredBy,
        Duration timeliness,
        String timelinessFrom) {

    /** The queue the flow's messages wait on; durable, so they survive a receiver outage and a restart. */
    public String queue() {
        return "ldr.flow." + code;
    }

    /**
     * What starts the flow: a FHIR resource committed to the shared record, or an HL7v2 message received over MLLP.
     *
     * @param resourceType FHIR type of the committed resource
     * @param criteria FHIRPath that must be true on it
     * @param hl7v2Events HL7v2 message types (MSH-9, e.g. {@code ADT^A01}) the flow carries
     */
    public record Trigger(String resourceType, String criteria, java.util.List<String> hl7v2Events) {
        public Trigger {
            hl7v2Events = hl7v2Events == null ? java.util.List.of() : java.util.List.copyOf(hl7v2Events);
        }
    }
}
