package org.ldrtestbed.scenarios.sut;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v24.message.ADT_A01;
import ca.uhn.hl7v2.util.Terser;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ldrtestbed.fhirserver.contract.Prompt;

/**
 * Builds the HL7v2 ADT (v2.4) a PAS sends for a prompt, from the prompt's facts, with HAPI's {@code ADT_A01}
 * structure (A02 and A03 share it, with their own trigger). A {@link Fault} bends the message: another patient, no
 * PID-3, or times an hour before the event.
 */
public final class AdtPromptTranslator {

    public static final Set<String> EVENTS = Set.of("A01", "A02", "A03");

    private static final Pattern TS = Pattern.compile("(\\d{12}|\\d{14})(.*)");
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Fault fault;
    private final HapiContext hl7;

    /**
     * @param hl7 makes the message; without validation, as the ODS code in PD1-3-3 is not the number v2.4 types it as
     *     (the testbed reads it there all the same), and as a faulty message must still be built
     */
    public AdtPromptTranslator(Fault fault, HapiContext hl7) {
        this.fault = fault;
        this.hl7 = hl7;
    }

    /** The ADT message the prompt asks for; refused when a fact it needs is missing. */
    public ADT_A01 toAdt(Prompt prompt) {
        Facts facts = new Facts(prompt);
        String event = facts.required("event");
        if (!EVENTS.contains(event)) {
            throw new IllegalArgumentException(facts.where() + ": event must be one of A01, A02, A03, was " + event);
        }
        String eventTime = facts.required("event-time");
        // A late PAS held the event back: it stamps the message with the time it happened, an hour ago.
        String stamped = fault == Fault.LATE ? anHourBefore(eventTime) : eventTime;
        try {
            ADT_A01 adt = hl7.newMessage(ADT_A01.class);
            adt.initQuickstart("ADT", event, "P");
            Terser t = new Terser(adt);
            t.set("MSH-3-1", "PAS");
            t.set("MSH-4-1", facts.required("sending-facility"));
            t.set("MSH-5-1", "LDR");
            t.set("MSH-6-1", facts.optional("receiving-facility", ""));
            t.set("MSH-7-1", stamped);
            t.set("MSH-10", facts.optional("control-id", prompt.run() + "-" + prompt.step()));
            t.set("EVN-1", event);
            t.set("EVN-2-1", stamped);
            if (fault != Fault.INVALID) {
                t.set(
                        "PID-3(0)-1",
                        fault == Fault.WRONG_PATIENT ? Fault.WRONG_NHS_NUMBER : facts.required("nhs-number"));
                t.set("PID-3(0)-4-1", "NHS");
                t.set("PID-3(0)-5", "NH");
            }
            t.set("PID-5-1-1", facts.required("family"));
            t.set("PID-5-2", facts.required("given"));
            t.set("PID-7-1", facts.required("birth-date"));
            t.set("PID-8", facts.required("gender"));
            t.set("PD1-3-3", facts.required("gp-practice"));
            t.set("PV1-2", "I");
            t.set("PV1-3-1", facts.required("ward"));
            t.set("PV1-3-4-1", facts.required("site"));
            t.set("PV1-7-1", facts.required("attending-id"));
            t.set("PV1-7-2-1", facts.required("attending-family"));
            t.set("PV1-7-3", facts.required("attending-given"));
            t.set("PV1-19-1", facts.required("visit-number"));
            t.set("PV1-44-1", facts.required("admitted"));
            String discharged = facts.optional("discharged", null);
            if (discharged != null) {
                t.set("PV1-45-1", discharged);
            }
            return adt;
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException(facts.where() + ": HAPI could not build the ADT: " + e.getMessage(), e);
        }
    }

    /** The same HL7 time ({@code yyyyMMddHHmm[ss][.S][+zzzz]}) an hour earlier, in the same form. */
    static String anHourBefore(String hl7Time) {
        Matcher m = TS.matcher(hl7Time.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("event-time is not an HL7 time (yyyyMMddHHmm[ss]): " + hl7Time);
        }
        DateTimeFormatter format = m.group(1).length() == 12 ? MINUTES : SECONDS;
        return LocalDateTime.parse(m.group(1), format).minusHours(1).format(format) + m.group(2);
    }

    private record Facts(Prompt prompt) {
        String required(String name) {
            String value = prompt.facts().get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(where() + ": the prompt has no '" + name + "' fact");
            }
            return value;
        }

        String optional(String name, String otherwise) {
            String value = prompt.facts().get(name);
            return value == null || value.isBlank() ? otherwise : value;
        }

        String where() {
            return "prompt " + prompt.run() + "/" + prompt.step();
        }
    }
}
