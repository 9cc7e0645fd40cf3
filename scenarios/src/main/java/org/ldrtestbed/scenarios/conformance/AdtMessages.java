package org.ldrtestbed.scenarios.conformance;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * HL7v2 ADT as supplier mode handles it: the facts a prompt asks a sending system for (read from the message the
 * testbed would have sent), and the checks on what the system did send: its structure as v2.4 (HAPI's default
 * validation: data types, required segments) and the fields the adt-notification flow reads, each located
 * ({@code PID-3}).
 */
public final class AdtMessages {

    /** The fields the flow reads, with what each is: a message without one is refused by the testbed. */
    static final Map<String, String> READ_BY_THE_FLOW = fields();

    private final HapiContext strict = context(true);
    private final HapiContext lenient = context(false);

    /** What a prompt tells a sending system to say, by fact name (see {@link org.ldrtestbed.fhirserver.contract.Prompt}). */
    public Map<String, String> facts(String er7, String controlId) {
        Terser t = new Terser(parse(lenient, er7));
        Map<String, String> facts = new LinkedHashMap<>();
        put(facts, "event", t, "MSH-9-2");
        put(facts, "sending-facility", t, "MSH-4-1");
        String nhs = nhsNumber(t);
        if (nhs != null) {
            facts.put("nhs-number", nhs);
        }
        put(facts, "family", t, "PID-5-1");
        put(facts, "given", t, "PID-5-2");
        put(facts, "birth-date", t, "PID-7-1");
        put(facts, "gender", t, "PID-8");
        put(facts, "gp-practice", t, "PD1-3-3");
        put(facts, "ward", t, "PV1-3-1");
        put(facts, "site", t, "PV1-3-4");
        put(facts, "attending-id", t, "PV1-7-1");
        put(facts, "attending-family", t, "PV1-7-2");
        put(facts, "attending-given", t, "PV1-7-3");
        put(facts, "visit-number", t, "PV1-19-1");
        put(facts, "admitted", t, "PV1-44-1");
        put(facts, "discharged", t, "PV1-45-1");
        put(facts, "event-time", t, "EVN-2-1");
        facts.put("control-id", controlId);
        return facts;
    }

    /**
     * The findings on a message a system sent: structure, the fields the flow reads, and the patient (an error when
     * PID-3 names another NHS number than the run's).
     */
    public List<FhirValidation.Issue> check(String er7, String expectedNhsNumber) {
        List<FhirValidation.Issue> issues = new ArrayList<>();
        Message message;
        try {
            message = strict.getPipeParser().parse(normalise(er7));
        } catch (HL7Exception e) {
            try {
                message = lenient.getPipeParser().parse(normalise(er7));
            } catch (HL7Exception unreadable) {
                issues.add(new FhirValidation.Issue(
                        "error", location(unreadable), "not an HL7v2 message: " + unreadable.getMessage()));
                return issues;
            }
            // Its segments parse; a data-type rule it breaks is one UK feeds commonly break too (PD1-3.3 holding an
            // ODS code where v2.4 has a number): reported, not refused. HAPI stops at the first such finding.
            issues.add(new FhirValidation.Issue(
                    "warning", location(e), "breaks a v2.4 data-type rule: " + e.getMessage()));
        }
        Terser t = new Terser(message);
        READ_BY_THE_FLOW.forEach((field, what) -> {
            if (get(t, field) == null) {
                issues.add(new FhirValidation.Issue("error", field, what + " is missing (the flow reads it)"));
            }
        });
        String nhs = nhsNumber(t);
        if (nhs != null && !NhsNumber.isValid(nhs)) {
            issues.add(new FhirValidation.Issue("error", "PID-3", "NHS number " + nhs + " fails the Modulus 11 check"));
        } else if (nhs != null && !nhs.equals(expectedNhsNumber)) {
            issues.add(new FhirValidation.Issue(
                    "error",
                    "PID-3",
                    "wrong patient: NHS number " + nhs + ", the run's patient is " + expectedNhsNumber));
        }
        if (nhs == null && get(t, "PID-3-1") != null) {
            issues.add(new FhirValidation.Issue(
                    "error", "PID-3", "no repetition of PID-3 is an NHS number (assigning authority NHS or type NH)"));
        }
        return issues;
    }

    /**
     * The NHS number among PID-3's repetitions (assigning authority NHS or type NH, as the flow reads it): a trust's
     * own hospital number often comes first.
     */
    private static String nhsNumber(Terser t) {
        for (int i = 0; i < 10; i++) {
            String value = get(t, "PID-3(" + i + ")-1");
            if (value == null) {
                return null;
            }
            if ("NHS".equals(get(t, "PID-3(" + i + ")-4")) || "NH".equals(get(t, "PID-3(" + i + ")-5"))) {
                return value;
            }
        }
        return null;
    }

    /** MSH-10 of an ER7 message, or null. */
    public static String controlId(String er7) {
        return field(er7, "MSH", 9);
    }

    /** The trigger event (MSH-9.2) of an ER7 message, or null. */
    public static String event(String er7) {
        String type = field(er7, "MSH", 8);
        return type == null || !type.contains("^") ? null : type.split("\\^")[1];
    }

    /** Field n of a segment split on |, MSH counted as ER7 does (its field separator is MSH-1). */
    private static String field(String er7, String segment, int index) {
        if (er7 == null) {
            return null;
        }
        for (String line : er7.split("[\r\n]+")) {
            if (line.startsWith(segment + "|")) {
                String[] fields = line.split("\\|", -1);
                return fields.length > index && !fields[index].isBlank() ? fields[index] : null;
            }
        }
        return null;
    }

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("MSH-4-1", "sending facility (ODS code)");
        fields.put("MSH-9-2", "trigger event");
        fields.put("MSH-10", "message control id");
        fields.put("EVN-2-1", "event time");
        fields.put("PID-3-1", "patient identifier");
        fields.put("PV1-3-1", "assigned location (ward)");
        fields.put("PV1-19-1", "visit number");
        return java.util.Collections.unmodifiableMap(fields);
    }

    private static HapiContext context(boolean validating) {
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.4"));
        context.setValidationContext(
                validating ? ValidationContextFactory.defaultValidation() : ValidationContextFactory.noValidation());
        return context;
    }

    private static Message parse(HapiContext context, String er7) {
        try {
            return context.getPipeParser().parse(normalise(er7));
        } catch (HL7Exception e) {
            throw new IllegalArgumentException("not an HL7v2 message: " + e.getMessage(), e);
        }
    }

    private static String normalise(String er7) {
        return er7.replace("\r\n", "\r").replace('\n', '\r');
    }

    private static String location(HL7Exception e) {
        return e.getLocation() == null || e.getLocation().getSegmentName() == null
                ? "(message)"
                : e.getLocation().toString();
    }

    private static void put(Map<String, String> facts, String name, Terser t, String field) {
        String value = get(t, field);
        if (value != null) {
            facts.put(name, value);
        }
    }

    private static String get(Terser t, String field) {
        try {
            String value = t.get(field);
            return value == null || value.isBlank() ? null : value;
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }
}
