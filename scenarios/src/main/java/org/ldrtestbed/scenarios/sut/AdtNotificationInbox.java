package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.Terser;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * HL7v2 ADT over MLLP as a GP system receives a hospital's admission, transfer or discharge notice: each message is
 * filed once per sending facility and MSH-10 as an Encounter of the patient (found by NHS number, PID-3 of assigning
 * authority NHS), readable at {@code GET [base]/Encounter?identifier=} {@value #MESSAGE_SYSTEM}{@code |MSH-4-MSH-10},
 * and acknowledged AA; a redelivery is acknowledged AA with nothing filed again. A message it cannot file (no NHS
 * number, not ADT A01/A02/A03) is rejected AR.
 *
 * <p>Faults: {@code wrong-patient} files under NHS number {@value Fault#WRONG_NHS_NUMBER}; {@code invalid} files, then
 * answers with the message itself, which is no acknowledgement; {@code silence} never answers and files nothing;
 * {@code 5xx} answers AE (application error: the store is down, try again) every time and files nothing; {@code late}
 * files the first delivery and acknowledges it after the late delay.
 */
final class AdtNotificationInbox extends HashMapResourceProvider<Encounter> implements ReceivingApplication<Message> {

    /** How the GP system identifies a notice: the sending facility's ODS code and the message's MSH-10. */
    static final String MESSAGE_SYSTEM = "https://fhir.ldr-testbed.example/Id/hl7v2-message";

    static final String NHS_NUMBER = DischargeSummaryInbox.NHS_NUMBER;
    private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    private static final Set<String> TRIGGERS = Set.of("A01", "A02", "A03");
    private static final ZoneId UK = ZoneId.of("Europe/London");

    /** Longer than any sender waits: a silent system "never" answers. */
    private static final Duration FOR_EVER = Duration.ofHours(1);

    private final Fault fault;
    private final Duration lateDelay;
    private final Hold hold;
    private final Map<String, Encounter> byMessage = new HashMap<>();

    AdtNotificationInbox(FhirContext fhir, Fault fault, Duration lateDelay, Hold hold) {
        super(fhir, Encounter.class);
        this.fault = fault;
        this.lateDelay = lateDelay;
        this.hold = hold;
    }

    @Override
    public boolean canProcess(Message message) {
        return true;
    }

    @Override
    public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
        switch (fault) {
            case SILENCE -> {
                hold.pause(FOR_EVER);
                throw new HL7Exception("closing: a silent message let go");
            }
            case SERVER_ERROR -> {
                return ack(
                        message,
                        AcknowledgmentCode.AE,
                        "this reference system is faulty on purpose (--faulty 5xx): try again later");
            }
            default -> {}
        }
        Terser t = new Terser(message);
        String refused = refusal(t);
        if (refused != null) {
            return ack(message, AcknowledgmentCode.AR, refused);
        }
        String key = get(t, "MSH-4-1") + "-" + get(t, "MSH-10");
        boolean firstDelivery;
        synchronized (this) {
            firstDelivery = !byMessage.containsKey(key);
            if (firstDelivery) {
                Encounter filed = encounter(t, key);
                store(filed);
                byMessage.put(key, filed);
            }
        }
        if (firstDelivery && fault == Fault.LATE) {
            // Filed, then acknowledged after the sender gave up: its redelivery must not file it twice.
            hold.pause(lateDelay);
        }
        if (fault == Fault.INVALID) {
            return message;
        }
        try {
            return message.generateACK();
        } catch (IOException e) {
            throw new HL7Exception(e);
        }
    }

    /**
     * {@code GET [base]/Encounter?identifier=system|value}: the notice filed for that message, so whoever sent it can
     * see what was filed, and for whom.
     */
    @Search
    public List<Encounter> searchByIdentifier(@RequiredParam(name = Encounter.SP_IDENTIFIER) TokenParam identifier) {
        return getStoredResources().stream()
                .filter(e -> e.getIdentifier().stream()
                        .anyMatch(i -> identifier.getValue().equals(i.getValue())
                                && (identifier.getSystem() == null
                                        || identifier.getSystem().isEmpty()
                                        || identifier.getSystem().equals(i.getSystem()))))
                .toList();
    }

    private static String refusal(Terser t) {
        if (!"ADT".equals(get(t, "MSH-9-1")) || !TRIGGERS.contains(get(t, "MSH-9-2"))) {
            return "this GP system files ADT^A01, A02 and A03, not " + get(t, "MSH-9-1") + "^" + get(t, "MSH-9-2");
        }
        if (get(t, "MSH-10") == null || get(t, "MSH-4-1") == null) {
            return "MSH-4 (sending facility) and MSH-10 (control id) are required: they make a redelivery known";
        }
        if (nhsNumber(t) == null) {
            return "PID-3 has no NHS number (assigning authority NHS)";
        }
        return null;
    }

    private Encounter encounter(Terser t, String key) {
        String trigger = get(t, "MSH-9-2");
        String nhsNumber = fault == Fault.WRONG_PATIENT ? Fault.WRONG_NHS_NUMBER : nhsNumber(t);
        Encounter encounter = new Encounter();
        encounter.addIdentifier(new Identifier().setSystem(MESSAGE_SYSTEM).setValue(key));
        encounter.setStatus(
                "A03".equals(trigger) ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS);
        encounter.setClass_(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"));
        encounter.setSubject(new Reference()
                .setIdentifier(new Identifier().setSystem(NHS_NUMBER).setValue(nhsNumber)));
        encounter.setServiceProvider(
                new Reference().setIdentifier(new Identifier().setSystem(ODS).setValue(get(t, "MSH-4-1"))));
        Date admitted = time(get(t, "PV1-44-1"));
        Date event = time(get(t, "EVN-2-1"));
        encounter.getPeriod().setStart(admitted != null ? admitted : event);
        if ("A03".equals(trigger)) {
            Date discharged = time(get(t, "PV1-45-1"));
            encounter.getPeriod().setEnd(discharged != null ? discharged : event);
        }
        return encounter;
    }

    private static String nhsNumber(Terser t) {
        for (int i = 0; i < 5; i++) {
            String id = get(t, "PID-3(" + i + ")-1");
            if (id == null) {
                return null;
            }
            if ("NHS".equals(get(t, "PID-3(" + i + ")-4-1"))) {
                return id;
            }
        }
        return null;
    }

    /** An HL7v2 timestamp to the minute or second, UK local time; anything else is left out. */
    private static Date time(String ts) {
        if (ts == null || ts.length() < 12) {
            return null;
        }
        try {
            String digits = ts.length() >= 14 ? ts.substring(0, 14) : ts.substring(0, 12) + "00";
            LocalDateTime local = LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
            return Date.from(local.atZone(UK).toInstant());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Message ack(Message message, AcknowledgmentCode code, String why) throws HL7Exception {
        try {
            return message.generateACK(code, new HL7Exception(why));
        } catch (IOException e) {
            throw new HL7Exception(e);
        }
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
