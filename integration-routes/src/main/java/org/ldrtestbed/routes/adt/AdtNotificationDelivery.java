package org.ldrtestbed.routes.adt;

import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Files an ADT event as the hospital stay's Encounter and a Communication telling the patient's GP practice,
 * idempotent on the message control id. The stay is found by its visit number: a new stay is created; an existing
 * one (perhaps written by the trust's EPR, with far more in it than a PAS knows) is moved on, not replaced: only its
 * status, wards, period and attending doctor change, in an update checked against the version read, so a concurrent
 * write is never lost (the 412 is retried, reading afresh).
 */
public final class AdtNotificationDelivery implements FlowDelivery<AdtEvent> {

    private static final String VISIT_SYSTEM = AdtTranslator.VISIT_SYSTEM;
    private static final String MESSAGE_SYSTEM = AdtTranslator.MESSAGE_SYSTEM;
    private static final String ODS = AdtTranslator.ODS;
    private static final String SDS_USER = AdtTranslator.SDS_USER;
    private static final String UNIT_CODE = AdtTranslator.UNIT_CODE;
    private static final String PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    private final RecordDelivery record;

    public AdtNotificationDelivery(RecordDelivery record) {
        this.record = record;
    }

    /**
     * A message already applied is not applied again: the GP notification carries the message's control id, and
     * if it exists the Encounter is left alone too (re-applying an old A01 after an A03 would reopen the stay).
     */
    @Override
    public String deliver(AdtEvent event) {
        String applied = messageIdentifier(event);
        if (record.exists("Communication?" + applied)) {
            return "already applied (" + applied + "): nothing changed";
        }
        return file(event, true);
    }

    /**
     * Files the event's stay only, without the GP's notification: a GP system under test is told instead. Filing
     * the same event again leaves the stay as it was (its status, ward, period and doctor are the event's), so a
     * redelivery after the system under test failed to acknowledge changes nothing.
     */
    public String deliverStay(AdtEvent event) {
        return file(event, false);
    }

    private String file(AdtEvent event, boolean notice) {
        Optional<Encounter> stay = first(record.search(stayQuery(event)), Encounter.class);
        if (stay.isEmpty()) {
            return RecordDelivery.summarise(record.deliver(filing(event, notice)));
        }
        // The stored stay names its wards and doctors by id: find the event's own to recognise them.
        StayParties parties = new StayParties(
                resolved("Location?identifier=" + UNIT_CODE + "|" + event.ward())
                        .orElse(ward(event)),
                event.attendingId() == null
                        ? null
                        : resolved("Practitioner?identifier=" + SDS_USER + "|" + event.attendingId())
                                .orElse(attending(event)));
        return RecordDelivery.summarise(record.deliver(filing(event, stay.get(), parties, notice)));
    }

    /**
     * The ward and attending doctor as the stored stay would name them: by id once the record holds them, else by
     * the conditional reference the server resolves on filing.
     */
    public record StayParties(Reference ward, Reference attending) {}

    private Optional<Reference> resolved(String query) {
        return first(record.search(query), Resource.class)
                .map(r -> new Reference(
                        r.getResourceType() + "/" + r.getIdElement().getIdPart()));
    }

    private static <T extends Resource> Optional<T> first(Bundle found, Class<T> type) {
        return found.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst();
    }

    /** The filing transaction for an event of a stay the record does not hold yet: the stay is created. */
    public static Bundle filing(AdtEvent e) {
        return filing(e, true);
    }

    private static Bundle filing(AdtEvent e, boolean notice) {
        Encounter stay = new Encounter();
        stay.addIdentifier(new Identifier().setSystem(VISIT_SYSTEM).setValue(visit(e)));
        stay.setStatus(status(e));
        stay.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"));
        stay.setSubject(patient(e));
        stay.setServiceProvider(hospital(e));
        stay.addLocation().setLocation(ward(e)).setStatus(locationStatus(e));
        if (e.attendingId() != null) {
            stay.addParticipant().setIndividual(attending(e));
        }
        stay.setPeriod(period(e));

        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String stayUrl = "urn:uuid:" + java.util.UUID.randomUUID();
        filing.addEntry()
                .setFullUrl(stayUrl)
                .setResource(stay)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Encounter?" + stayIdentifier(e));
        if (notice) {
            addNotice(filing, e, new Reference(stayUrl));
        }
        return filing;
    }

    /**
     * The filing transaction for an event of a stay the record holds ({@code current}, as read): the stay moved on,
     * guarded by the version read.
     */
    public static Bundle filing(AdtEvent e, Encounter current, StayParties parties) {
        return filing(e, current, parties, true);
    }

    private static Bundle filing(AdtEvent e, Encounter current, StayParties parties, boolean notice) {
        Encounter stay = movedOn(current, e, parties);
        String id = "Encounter/" + current.getIdElement().getIdPart();
        String version = current.getIdElement().hasVersionIdPart()
                ? current.getIdElement().getVersionIdPart()
                : current.getMeta().getVersionId();
        stay.setId(id);
        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        filing.addEntry()
                .setFullUrl(id)
                .setResource(stay)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(id)
                .setIfMatch("W/\"" + version + "\"");
        if (notice) {
            addNotice(filing, e, new Reference(id));
        }
        return filing;
    }

    /**
     * The stay as the event leaves it: everything already recorded kept (reason, hospitalisation, other participants,
     * partOf...); the status, the period, the current ward (earlier wards completed) and the attending doctor, if not
     * already there, the event's.
     */
    static Encounter movedOn(Encounter current, AdtEvent e, StayParties parties) {
        Encounter stay = current.copy();
        Date at = Date.from(e.eventTime());
        boolean discharge = "A03".equals(e.trigger());
        if (stay.getIdentifier().stream()
                .noneMatch(i -> VISIT_SYSTEM.equals(i.getSystem()) && visit(e).equals(i.getValue()))) {
            stay.addIdentifier(new Identifier().setSystem(VISIT_SYSTEM).setValue(visit(e)));
        }
        stay.setStatus(status(e));
        String ward = parties.ward().getReference();
        Encounter.EncounterLocationComponent here = null;
        for (Encounter.EncounterLocationComponent l : stay.getLocation()) {
            if (ward.equals(l.getLocation().getReference())) {
                here = l;
            } else if (l.getStatus() != Encounter.EncounterLocationStatus.COMPLETED) {
                l.setStatus(Encounter.EncounterLocationStatus.COMPLETED);
                closePeriod(l.getPeriod(), at);
            }
        }
        if (here == null) {
            here = stay.addLocation().setLocation(new Reference(ward));
            here.getPeriod().setStart("A01".equals(e.trigger()) ? Date.from(e.admitted()) : at);
        }
        here.setStatus(locationStatus(e));
        if (discharge) {
            closePeriod(here.getPeriod(), Date.from(e.discharged()));
        }
        if (parties.attending() != null
                && stay.getParticipant().stream()
                        .noneMatch(p -> parties.attending()
                                .getReference()
                                .equals(p.getIndividual().getReference()))) {
            stay.addParticipant()
                    .addType(new CodeableConcept(new Coding(PARTICIPATION_TYPE, "ATND", "attender")))
                    .setIndividual(new Reference(parties.attending().getReference()));
        }
        // The admission time is the A01's (PV1-44); a later event without one must not move it to its own time.
        if ("A01".equals(e.trigger()) || !stay.getPeriod().hasStart()) {
            stay.getPeriod().setStart(Date.from(e.admitted()));
        }
        if (discharge) {
            stay.getPeriod().setEnd(Date.from(e.discharged()));
        }
        return stay;
    }

    private static void closePeriod(Period period, Date end) {
        if (!period.hasEnd()) {
            period.setEnd(end);
        }
    }

    private static void addNotice(Bundle filing, AdtEvent e, Reference stay) {
        Communication notice = new Communication();
        notice.addIdentifier(
                new Identifier().setSystem(MESSAGE_SYSTEM).setValue(e.sendingFacility() + "-" + e.controlId()));
        notice.setStatus(Communication.CommunicationStatus.COMPLETED);
        notice.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/communication-category", "notification", "Notification")));
        notice.setSubject(patient(e));
        notice.addRecipient(new Reference("Organization?identifier=" + ODS + "|" + e.gpPractice()));
        notice.setSender(hospital(e));
        notice.setSent(Date.from(e.eventTime()));
        notice.addPayload().setContent(new org.hl7.fhir.r4.model.StringType(text(e)));
        notice.setEncounter(stay);
        filing.addEntry()
                .setResource(notice)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Communication")
                .setIfNoneExist(messageIdentifier(e));
    }

    /** The search for the stay's Encounter by its visit number. */
    static String stayQuery(AdtEvent e) {
        return "Encounter?" + stayIdentifier(e);
    }

    private static String stayIdentifier(AdtEvent e) {
        return "identifier=" + VISIT_SYSTEM + "|" + visit(e);
    }

    private static String messageIdentifier(AdtEvent e) {
        return "identifier=" + MESSAGE_SYSTEM + "|" + e.sendingFacility() + "-" + e.controlId();
    }

    /** The visit number as the record knows it: PV1-19 qualified by the sending trust, e.g. SYNAC-V1001. */
    static String visit(AdtEvent e) {
        return e.sendingFacility() + "-" + e.visitNumber();
    }

    private static Encounter.EncounterStatus status(AdtEvent e) {
        return "A03".equals(e.trigger()) ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS;
    }

    private static Encounter.EncounterLocationStatus locationStatus(AdtEvent e) {
        return "A03".equals(e.trigger())
                ? Encounter.EncounterLocationStatus.COMPLETED
                : Encounter.EncounterLocationStatus.ACTIVE;
    }

    private static Period period(AdtEvent e) {
        Period period = new Period().setStart(Date.from(e.admitted()));
        if (e.discharged() != null) {
            period.setEnd(Date.from(e.discharged()));
        }
        return period;
    }

    private static Reference patient(AdtEvent e) {
        return new Reference("Patient?identifier=" + NhsNumber.SYSTEM + "|" + e.nhsNumber());
    }

    private static Reference hospital(AdtEvent e) {
        return new Reference("Organization?identifier=" + ODS + "|" + e.sendingFacility());
    }

    private static Reference ward(AdtEvent e) {
        return new Reference("Location?identifier=" + UNIT_CODE + "|" + e.ward());
    }

    private static Reference attending(AdtEvent e) {
        return new Reference("Practitioner?identifier=" + SDS_USER + "|" + e.attendingId());
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
}
