package org.ldrtestbed.routes.adt;

import org.ldrtestbed.routes.sut.WireMessage;

/**
 * An ADT event as it travels: what the testbed read of it, and the HL7v2 message itself, which a GP system under test
 * receives in the practice's place. The stay's Encounter is the shared record's either way; only the GP's
 * notification goes to a system under test.
 *
 * @param event what the receiver needs, read from the message
 * @param received the message as the PAS sent it (ER7, segments separated by carriage returns)
 */
public record AdtNotification(AdtEvent event, String received) implements WireMessage {

    /** The patient's registered GP practice (PD1-3-3) is told of the event. */
    @Override
    public String recipient() {
        return event.gpPractice();
    }

    @Override
    public String nhsNumber() {
        return event.nhsNumber();
    }

    @Override
    public String sender() {
        return event.sendingFacility();
    }

    /**
     * The message as received, addressed to the GP practice: MSH-5 (receiving application) and MSH-6 (receiving
     * facility) name the practice's ODS code; everything else, MSH-10 included, is the PAS's, so the GP system's ACK
     * and its record name the message the run sent.
     */
    @Override
    public String wire() {
        String[] segments = received.split("\r", -1);
        String msh = segments[0];
        String separator = msh.length() > 3 ? String.valueOf(msh.charAt(3)) : "|";
        String[] fields = msh.split(java.util.regex.Pattern.quote(separator), -1);
        // MSH-1 is the separator itself: MSH-n is fields[n - 1].
        String[] addressed = java.util.Arrays.copyOf(fields, Math.max(fields.length, 6));
        for (int i = fields.length; i < addressed.length; i++) {
            addressed[i] = "";
        }
        addressed[4] = event.gpPractice();
        addressed[5] = event.gpPractice();
        segments[0] = String.join(separator, addressed);
        return String.join("\r", segments);
    }
}
