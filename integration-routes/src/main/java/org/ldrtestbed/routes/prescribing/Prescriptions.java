package org.ldrtestbed.routes.prescribing;

import java.util.Date;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Capability (i), EPS: the rules a prescription must meet before the (simulated) Spine accepts it, and the message
 * shapes of the EPS FHIR API (domain.md §2i): a {@code prescription-order} message with the prescription's
 * short-form ID, and a {@code dispense-notification} back.
 */
public final class Prescriptions {

    public static final String SHORT_FORM_ID = "https://fhir.nhs.uk/Id/prescription-order-number";
    public static final String MESSAGE_EVENT = "https://fhir.nhs.uk/CodeSystem/message-event";
    public static final String COURSE = "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy";
    static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    private static final String MOD37 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+";

    private Prescriptions() {}

    /**
     * Checks the prescribing type against its intent, as the NHS England MedicationRequest constraints do: acute is
     * an {@code order}; repeat prescribing an {@code original-order} or {@code instance-order}; repeat dispensing an
     * {@code original-order} that says how many issues it allows.
     */
    public static void check(MedicationRequest prescription) {
        if (!prescription.hasMedicationCodeableConcept()
                || prescription.getMedicationCodeableConcept().getCoding().stream()
                        .noneMatch(c -> "http://snomed.info/sct".equals(c.getSystem()) && c.hasCode())) {
            throw new InvalidMessageException(
                    "EPS needs the medicine as a dm+d code (system http://snomed.info/sct) in medicationCodeableConcept");
        }
        if (!prescription.hasRequester()) {
            throw new InvalidMessageException("MedicationRequest.requester must name the prescriber");
        }
        pharmacy(prescription);
        String course =
                prescription.getCourseOfTherapyType().getCodingFirstRep().getCode();
        MedicationRequestIntent intent = prescription.getIntent();
        boolean valid = switch (course == null ? "" : course) {
            case "acute" -> intent == MedicationRequestIntent.ORDER;
            case "continuous" ->
                Set.of(MedicationRequestIntent.ORIGINALORDER, MedicationRequestIntent.INSTANCEORDER)
                        .contains(intent);
            case "continuous-repeat-dispensing" ->
                intent == MedicationRequestIntent.ORIGINALORDER
                        && prescription.getDispenseRequest().hasNumberOfRepeatsAllowed();
            default -> false;
        };
        if (!valid) {
            throw new InvalidMessageException("courseOfTherapyType '" + course + "' with intent '"
                    + (intent == null ? null : intent.toCode())
                    + "' is not a valid EPS prescription: acute is an order; repeat (continuous) an original-order or"
                    + " instance-order; repeat dispensing (continuous-repeat-dispensing) an original-order with"
                    + " dispenseRequest.numberOfRepeatsAllowed");
        }
    }

    /** The nominated pharmacy's ODS code, from {@code dispenseRequest.performer}. */
    public static String pharmacy(MedicationRequest prescription) {
        Reference performer = prescription.getDispenseRequest().getPerformer();
        if (performer.hasIdentifier() && ODS.equals(performer.getIdentifier().getSystem())) {
            return performer.getIdentifier().getValue();
        }
        if ("Organization".equals(performer.getReferenceElement().getResourceType())) {
            return performer.getReferenceElement().getIdPart();
        }
        throw new InvalidMessageException(
                "EPS needs the nominated pharmacy in MedicationRequest.dispenseRequest.performer (an Organization)");
    }

    /**
     * The prescription's short-form ID, {@code XXXXXX-<prescriber ODS>-XXXXXC}: stable for the same prescription, so
     * a redelivery is recognised, with an ISO 7064 MOD 37-2 check character as EPS uses.
     */
    public static String shortFormId(String prescriptionId, String prescriberOds) {
        UUID uuid = UUID.nameUUIDFromBytes(prescriptionId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String hex = uuid.toString().replace("-", "").toUpperCase();
        String ods = (prescriberOds + "000000").substring(0, 6);
        String body = hex.substring(0, 6) + "-" + ods + "-" + hex.substring(6, 11);
        return body + checkCharacter(body.replace("-", ""));
    }

    static char checkCharacter(String input) {
        int total = 0;
        for (char c : input.toCharArray()) {
            int value = MOD37.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("Not a short-form ID character: " + c);
            }
            total = ((total + value) * 2) % 37;
        }
        return MOD37.charAt((38 - total) % 37);
    }

    /**
     * An EPS FHIR message: MessageHeader (event, sender, receiver) focused on the first resource.
     *
     * @param sent the message's timestamp
     */
    public static Bundle message(
            java.time.Instant sent, String event, String senderOds, String receiverOds, Resource... resources) {
        Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
        message.setIdentifier(new Identifier()
                .setSystem("https://tools.ietf.org/html/rfc4122")
                .setValue(UUID.randomUUID().toString()));
        message.setTimestamp(Date.from(sent));
        MessageHeader header = new MessageHeader();
        header.setEvent(new Coding(MESSAGE_EVENT, event, null));
        header.setSender(
                new Reference().setIdentifier(new Identifier().setSystem(ODS).setValue(senderOds)));
        header.addDestination()
                .setEndpoint("https://eps.simulated.example/" + receiverOds)
                .setReceiver(new Reference()
                        .setIdentifier(new Identifier().setSystem(ODS).setValue(receiverOds)));
        header.setSource(new MessageHeader.MessageSourceComponent().setEndpoint("https://fhir.ldr-testbed.example"));
        header.addFocus(new Reference(
                "urn:uuid:" + UUID.nameUUIDFromBytes(resources[0].getId().getBytes())));
        message.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(header);
        for (Resource resource : resources) {
            message.addEntry()
                    .setFullUrl("urn:uuid:"
                            + UUID.nameUUIDFromBytes(resource.getId().getBytes()))
                    .setResource(resource);
        }
        return message;
    }
}
