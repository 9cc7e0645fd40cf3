package org.ldrtestbed.routes.contract;

import java.time.Duration;

/**
 * One record-sharing flow of the catalogue. The {@code code} is also the Camel route id: a public contract used by
 * tests, logs, metrics and the message log.
 *
 * @param code kebab-case flow code, e.g. {@code discharge-summary}
 * @param capability the Universal Capability letter (a–j) the flow serves, or {@code record-sharing}
 * @param title what the flow does, for reports
 * @param sourceSettings care settings of the sending organisations ({@code source-setting}: one, or a list)
 * @param targetSetting care setting of the receiving organisation
 * @param messageShape the message the flow carries
 * @param standard the national standard the shape follows
 * @param trigger which committed resource starts the flow
 * @param nhsNumber FHIRPath that finds the patient's NHS number in the message, for the message log
 * @param deliveredBy the realm client the flow's route delivers as (the receiving system)
 * @param timeliness the standard the flow is held to
 * @param timelinessFrom the event timeliness is measured from
 * @param timelinessPath FHIRPath to that event's time in the triggering resource, or for an HL7v2 flow its field
 *     ({@code EVN-2}); absent when it is the write itself
 * @param publishes for flows that make an entry held by its source visible to others, who may then see it
 * @param sourceService FHIRPath to the site or unit code (within the sending organisation) the message is sent from,
 *     so a deployment profile can switch a flow per service; absent when the flow does not say
 * @param meshWorkflow the MESH workflow id its messages carry over a MESH mailbox (e.g. {@code TOC_FHIR_IP_DISCH});
 *     absent when the flow never goes over MESH
 */
public record SharingFlow(
        String code,
        String capability,
        String title,

        @com.fasterxml.jackson.annotation.JsonProperty("source-setting")
        @com.fasterxml.jackson.annotation.JsonFormat(
                with = com.fasterxml.jackson.annotation.JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        java.util.List<String> sourceSettings,

        String targetSetting,
        String messageShape,
        String standard,
        Trigger trigger,
        String nhsNumber,
        String deliveredBy,
        Duration timeliness,
        String timelinessFrom,
        String timelinessPath,
        Publication publishes,
        String sourceService,
        String meshWorkflow) {

    public SharingFlow {
        sourceSettings = sourceSettings == null ? java.util.List.of() : java.util.List.copyOf(sourceSettings);
    }

    /** The first (main) care setting the flow carries messages from, for reports. */
    public String sourceSetting() {
        return sourceSettings.isEmpty() ? null : sourceSettings.getFirst();
    }

    /** Whether the flow carries messages from organisations of this care setting. */
    public boolean sendsFrom(String setting) {
        return setting != null && sourceSettings.contains(setting);
    }

    /** Tag system of the mark a publishing flow leaves on each entry it has published; the code is the flow code. */
    public static final String PUBLISHED_BY = "https://fhir.ldr-testbed.example/CodeSystem/published-by-flow";

    /** The queue the flow's messages wait on; durable, so they survive a receiver outage and a restart. */
    public String queue() {
        return "ldr.flow." + code;
    }

    /**
     * What starts the flow: a FHIR resource committed to the shared record, or an HL7v2 message received over MLLP.
     *
     * @param resourceTypes FHIR types of the committed resource
     * @param criteria FHIRPath that must be true on it
     * @param hl7v2Events HL7v2 message types (MSH-9, e.g. {@code ADT^A01}) the flow carries
     */
    public record Trigger(java.util.List<String> resourceTypes, String criteria, java.util.List<String> hl7v2Events) {
        public Trigger {
            resourceTypes = resourceTypes == null ? java.util.List.of() : java.util.List.copyOf(resourceTypes);
            hl7v2Events = hl7v2Events == null ? java.util.List.of() : java.util.List.copyOf(hl7v2Events);
        }
    }

    /**
     * A publishing flow: entries of the trigger's types that an organisation of the source setting writes stay
     * held by that organisation (visible to its own staff) until the flow has published them to the audience.
     *
     * @param audience {@code professionals} (staff of other organisations) or {@code patient} (the patient's own
     *     token)
     * @param readers for professionals: the only readers the flow publishes to (absent: every professional of
     *     another organisation)
     * @param exceptReaders for professionals: readers the flow does not publish to
     * @param cohort when present, the flow publishes only the record of a patient its source has flagged
     * @param withhold entries the flow never publishes
     */
    public record Publication(
            String audience, Readers readers, Readers exceptReaders, Cohort cohort, java.util.List<Withhold> withhold) {
        public static final String PROFESSIONALS = "professionals";
        public static final String PATIENT = "patient";

        public Publication {
            if (!PROFESSIONALS.equals(audience) && !PATIENT.equals(audience)) {
                throw new IllegalArgumentException(
                        "publishes.audience must be " + PROFESSIONALS + " or " + PATIENT + ", not " + audience);
            }
            if (PATIENT.equals(audience) && (readers != null || exceptReaders != null)) {
                throw new IllegalArgumentException("publishes.readers and except-readers are for professionals");
            }
            withhold = withhold == null ? java.util.List.of() : java.util.List.copyOf(withhold);
        }

        /** Whether the flow publishes to a professional of an organisation in this care setting with these roles. */
        public boolean reaches(String setting, java.util.Collection<String> roles) {
            return (readers == null || readers.include(setting, roles))
                    && (exceptReaders == null || !exceptReaders.include(setting, roles));
        }

        /**
         * Professionals by the care setting of their organisation or by their realm role (a service inside an
         * organisation of another setting, such as an acute trust's emergency department, is named by its role).
         */
        public record Readers(java.util.List<String> settings, java.util.List<String> roles) {
            public Readers {
                settings = settings == null ? java.util.List.of() : java.util.List.copyOf(settings);
                roles = roles == null ? java.util.List.of() : java.util.List.copyOf(roles);
            }

            public boolean include(String setting, java.util.Collection<String> readerRoles) {
                return (setting != null && settings.contains(setting))
                        || (readerRoles != null && readerRoles.stream().anyMatch(roles::contains));
            }
        }

        /**
         * The patients whose entries the flow publishes: those with an active Flag of this code written by an
         * organisation of the flow's source setting (e.g. the GP's "likely to present to urgent care" flag).
         *
         * @param flag the Flag's code
         * @param reason what a reader is told when the patient is not flagged; a fact of the patient, never of
         *     an entry
         */
        public record Cohort(Code flag, String reason) {
            public Cohort {
                if (flag == null || flag.system() == null || flag.code() == null || reason == null) {
                    throw new IllegalArgumentException("publishes.cohort needs flag {system, code} and reason");
                }
            }
        }

        /** A coded value: system and code. */
        public record Code(String system, String code) {}

        /**
         * An entry the flow never publishes.
         *
         * @param reason what the entry is, for the message log (e.g. {@code unfiled result})
         * @param when FHIRPath true on such an entry
         */
        public record Withhold(String reason, String when) {}
    }
}
