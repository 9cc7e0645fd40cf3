package org.ldrtestbed.scenarios.report;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FHIR search as a person reads it: URL-decoded, the patient as "the patient", organisations and wards by name,
 * codes by their code system's name and date prefixes in words. {@code
 * Task?patient=Patient%2F1063&owner=Organization%2FSYNAM} reads "Task — patient: the patient; owner: South Central
 * Ambulance Service NHS Foundation Trust (synthetic)".
 *
 * @param resourceType what is searched for
 * @param parameters each search parameter, "name: value" in words
 * @param decoded the search as sent, URL-decoded
 */
public record ReadableQuery(String resourceType, List<String> parameters, String decoded) {

    private static final Map<String, String> SYSTEMS = Map.of(
            "http://snomed.info/sct", "SNOMED CT ",
            "http://terminology.hl7.org/CodeSystem/observation-category", "",
            "http://terminology.hl7.org/CodeSystem/condition-category", "",
            "http://loinc.org", "LOINC ",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode", "encounter class ",
            "https://fhir.nhs.uk/Id/nhs-number", "NHS number ",
            "http://hl7.org/fhir/sid/icd-10", "ICD-10 ",
            "https://dmd.nhs.uk", "dm+d ");

    private static final Map<String, String> PREFIXES = Map.of(
            "ge", "on or after ",
            "gt", "after ",
            "le", "on or before ",
            "lt", "before ",
            "eq", "on ",
            "ne", "not on ");

    private static final Pattern DATED = Pattern.compile("^(ge|gt|le|lt|eq|ne)(\\d{4}-\\d{2}-\\d{2})(.*)$");
    private static final Pattern PATIENT = Pattern.compile("^Patient/[A-Za-z0-9.-]+$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.UK);

    public ReadableQuery {
        parameters = List.copyOf(parameters);
    }

    public static ReadableQuery of(String query, CareSystemNames names) {
        String decoded = decode(query == null ? "" : query);
        int ask = decoded.indexOf('?');
        String type = ask < 0 ? decoded : decoded.substring(0, ask);
        List<String> parameters = new ArrayList<>();
        if (ask >= 0) {
            for (String pair : decoded.substring(ask + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                parameters.add(name + ": " + value(value, names));
            }
        }
        return new ReadableQuery(type, parameters, decoded);
    }

    /** "Task — patient: the patient; owner: …". */
    public String text() {
        return parameters.isEmpty() ? resourceType : resourceType + " — " + String.join("; ", parameters);
    }

    /** Only %XX sequences: a '+' in a FHIR search (a time zone, say) is a plus, not a space. */
    static String decode(String query) {
        try {
            return URLDecoder.decode(query.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return query;
        }
    }

    private static String value(String value, CareSystemNames names) {
        List<String> alternatives = new ArrayList<>();
        for (String one : value.split(",")) {
            alternatives.add(single(one, names));
        }
        return String.join(" or ", alternatives);
    }

    private static String single(String value, CareSystemNames names) {
        if (PATIENT.matcher(value).matches()) {
            return "the patient";
        }
        Matcher dated = DATED.matcher(value);
        if (dated.matches()) {
            try {
                return PREFIXES.get(dated.group(1))
                        + LocalDate.parse(dated.group(2)).format(DAY)
                        + dated.group(3);
            } catch (DateTimeParseException e) {
                return value;
            }
        }
        int bar = value.indexOf('|');
        if (bar > 0) {
            String system = value.substring(0, bar);
            String code = value.substring(bar + 1);
            if ("https://fhir.nhs.uk/Id/ods-organization-code".equals(system)) {
                return names.place(code);
            }
            return SYSTEMS.getOrDefault(system, system + " ") + code;
        }
        return names.readable(value);
    }
}
