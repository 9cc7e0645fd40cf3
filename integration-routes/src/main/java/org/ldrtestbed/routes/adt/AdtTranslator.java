package org.ldrtestbed.routes.adt;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.time.Instant;
import java.util.Set;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * ADT notifications: the HL7v2 admit, transfer or discharge is itself the wire message; this parses it and reads
 * what the receiver needs ({@link AdtEvent}), refusing a message that lacks it. Its filing is
 * {@link AdtNotificationDelivery}'s.
 */
public final class AdtTranslator {

    public static final Set<String> TRIGGERS = Set.of("A01", "A02", "A03");
    public static final String VISIT_SYSTEM = "https://fhir.ldr-testbed.example/Id/visit-number";
    public static final String MESSAGE_SYSTEM = "https://fhir.ldr-testbed.example/Id/hl7v2-message";
    public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String SDS_USER = "https://fhir.nhs.uk/Id/sds-user-id";
    public static final String UNIT_CODE = "https://fhir.ldr-testbed.example/Id/unit-code";

    private final HapiContext hl7 = new DefaultHapiContext();

    public AdtTranslator() {
        // Read any version as v2.4 structures; checks are this class's, with messages a sender can act on.
        hl7.setModelClassFactory(new CanonicalModelClassFactory("2.4"));
        hl7.setValidationContext(ValidationContextFactory.noValidation());
    }

    /** The ADT message, as received over MLLP (ER7), read; refused when it lacks what the receiver needs. */
    public AdtEvent toEvent(String er7) {
        return read(parse(er7));
    }

    /** As {@link #toEvent}, kept with the message itself: a GP system under test receives it as HL7v2. */
    public AdtNotification toNotification(String er7) {
        String message = er7.strip().replace("\r\n", "\r").replace('\n', '\r');
        return new AdtNotification(toEvent(message), message);
    }

    /** Parses ER7 text; anything HAPI cannot parse is invalid. */
    public Message parse(String er7) {
        try {
            return hl7.getPipeParser().parse(er7.replace("\r\n", "\r").replace('\n', '\r'));
        } catch (HL7Exception e) {
            throw new InvalidMessageException("not a valid HL7v2 message: " + e.getMessage());
        }
    }

    public AdtEvent read(Message message) {
        Terser t = new Terser(message);
        String type = get(t, "MSH-9-1");
        String trigger = get(t, "MSH-9-2");
        if (!"ADT".equals(type) || !TRIGGERS.contains(trigger)) {
            throw new InvalidMessageException("MSH-9 must be ADT^A01, ADT^A02 or ADT^A03, was " + type + "^" + trigger);
        }
        String controlId = required(t, "MSH-10", "message control id");
        String facility = required(t, "MSH-4-1", "sending facility (ODS code)");
        String nhsNumber = nhsNumber(t);
        if (!NhsNumber.isValid(nhsNumber)) {
            throw new InvalidMessageException("PID-3 NHS number " + nhsNumber + " fails the Modulus 11 check");
        }
        Instant eventTime = time(t, "EVN-2-1");
        if (eventTime == null) {
            throw new InvalidMessageException("EVN-2 (event time) is required");
        }
        Instant admitted = time(t, "PV1-44-1");
        Instant discharged = time(t, "PV1-45-1");
        String family = get(t, "PV1-7-2");
        String given = get(t, "PV1-7-3");
        return new AdtEvent(
                trigger,
                controlId,
                facility,
                nhsNumber,
                required(t, "PV1-19-1", "visit number"),
                required(t, "PV1-3-1", "assigned location (ward)"),
                get(t, "PV1-7-1"),
                family == null ? null : (given == null ? family : given + " " + family),
                admitted != null ? admitted : eventTime,
                "A03".equals(trigger) ? (discharged != null ? discharged : eventTime) : null,
                eventTime,
                required(t, "PD1-3-3", "registered GP practice (ODS code)"));
    }

    private static String nhsNumber(Terser t) {
        for (int i = 0; i < 5; i++) {
            String id = get(t, "PID-3(" + i + ")-1");
            if (id == null) {
                break;
            }
            if ("NHS".equals(get(t, "PID-3(" + i + ")-4-1")) || "NH".equals(get(t, "PID-3(" + i + ")-5"))) {
                return id;
            }
        }
        throw new InvalidMessageException("PID-3 has no NHS number (assigning authority NHS or type NH)");
    }

    private static Instant time(Terser t, String path) {
        String value = get(t, path);
        return value == null ? null : org.ldrtestbed.routes.hl7v2.Hl7v2Time.parse(value, path);
    }

    private static String required(Terser t, String path, String what) {
        String value = get(t, path);
        if (value == null) {
            throw new InvalidMessageException(path + " (" + what + ") is required");
        }
        return value;
    }

    private static String get(Terser t, String path) {
        try {
            String value = t.get(path);
            return value == null || value.isBlank() ? null : value.trim();
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }
}
