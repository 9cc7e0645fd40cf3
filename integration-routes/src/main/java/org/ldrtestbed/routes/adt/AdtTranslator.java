package org.ldrtestbed.routes.adt;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * ADT notifications: reads an HL7v2 admit, transfer or discharge and files it as the hospital stay's Encounter
 * (a conditional update on the visit number, so each event moves the same Encounter on) and a Communication telling
 * the patient's GP practice, idempotent on the message control id.
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

    /** The filing transaction for one event. */
    public Bundle toFiling(AdtEvent e) {
        Reference patient = new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + e.nhsNumber());
        Reference hospital = new Reference("Organization?identifier=" + ODS + "|" + e.sendingFacility());
        Reference ward = new Reference("Location?identifier=" + UNIT_CODE + "|" + e.ward());
        String visit = e.sendingFacility() + "-" + e.visitNumber();
        boolean discharge = "A03".equals(e.trigger());

        Encounter stay = new Encounter();
        stay.addIdentifier(new Identifier().setSystem(VISIT_SYSTEM).setValue(visit));
        stay.setStatus(discharge ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS);
        stay.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"));
        stay.setSubject(patient);
        stay.setServiceProvider(hospital);
        stay.addLocation()
                .setLocation(ward)
                .setStatus(
                        discharge
                                ? Encounter.EncounterLocationStatus.COMPLETED
                                : Encounter.EncounterLocationStatus.ACTIVE);
        if (e.attendingId() != null) {
            stay.addParticipant()
                    .setIndividual(new Reference("Practitioner?identifier=" + SDS_USER + "|" + e.attendingId()));
        }
        Period period = new Period().setStart(java.util.Date.from(e.admitted()));
        if (e.discharged() != null) {
            period.setEnd(java.util.Date.from(e.discharged()));
        }
        stay.setPeriod(period);

        Communication notice = new Communication();
        notice.addIdentifier(
                new Identifier().setSystem(MESSAGE_SYSTEM).setValue(e.sendingFacility() + "-" + e.controlId()));
        notice.setStatus(Communication.CommunicationStatus.COMPLETED);
        notice.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/communication-category", "notification", "Notification")));
        notice.setSubject(patient);
        notice.addRecipient(new Reference("Organization?identifier=" + ODS + "|" + e.gpPractice()));
        notice.setSender(hospital);
        notice.setSent(java.util.Date.from(e.eventTime()));
        notice.addPayload().setContent(new org.hl7.fhir.r4.model.StringType(text(e)));

        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String stayUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        filing.addEntry()
                .setFullUrl(stayUrl)
                .setResource(stay)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Encounter?identifier=" + VISIT_SYSTEM + "|" + visit);
        notice.setEncounter(new Reference(stayUrl));
        filing.addEntry()
                .setResource(notice)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication")
                .setIfNoneExist("identifier=" + MESSAGE_SYSTEM + "|" + e.sendingFacility() + "-" + e.controlId());
        return filing;
    }

    /** The GP's notification, e.g. "Admitted to ward SYNAC01-RESP under Erik Lindqvist on 2026-01-12 10:30". */
    static String text(AdtEvent e) {
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(org.ldrtestbed.routes.hl7v2.Hl7v2Time.UK)
                .format(e.eventTime());
        String under = e.attendingName() == null ? "" : " under " + e.attendingName();
        return switch (e.trigger()) {
            case "A01" -> "Admitted to ward " + e.ward() + under + " on " + when;
            case "A02" -> "Transferred to ward " + e.ward() + under + " on " + when;
            default -> "Discharged from ward " + e.ward() + " on " + when;
        };
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
