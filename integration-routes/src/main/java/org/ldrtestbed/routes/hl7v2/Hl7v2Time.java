package org.ldrtestbed.routes.hl7v2;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/** HL7v2 TS/DTM values and the plain field reads the ingress makes before any translator runs. */
public final class Hl7v2Time {

    /** HL7v2 local times are UK times unless the value carries its own offset. */
    public static final ZoneId UK = ZoneId.of("Europe/London");

    private static final Pattern TS = Pattern.compile("(\\d{12}|\\d{14})(?:\\.\\d{1,4})?([+-]\\d{4})?");
    private static final Pattern FIELD_PATH = Pattern.compile("([A-Z][A-Z0-9]{2})-(\\d+)");

    private Hl7v2Time() {}

    /**
     * An HL7 time {@code yyyyMMddHHmm[ss][.S][+zzzz]}.
     *
     * @param where the field named in the refusal
     * @throws InvalidMessageException when it is no such time
     */
    public static Instant parse(String value, String where) {
        Matcher m = TS.matcher(value == null ? "" : value.strip());
        if (!m.matches()) {
            throw new InvalidMessageException(where + " is not an HL7 time (yyyyMMddHHmm[ss][+zzzz]): " + value);
        }
        String digits = m.group(1);
        String pattern = digits.length() == 12 ? "yyyyMMddHHmm" : "yyyyMMddHHmmss";
        try {
            LocalDateTime local = LocalDateTime.parse(digits, DateTimeFormatter.ofPattern(pattern));
            return m.group(2) == null
                    ? local.atZone(UK).toInstant()
                    : OffsetDateTime.of(local, java.time.ZoneOffset.of(m.group(2)))
                            .toInstant();
        } catch (java.time.DateTimeException e) {
            throw new InvalidMessageException(where + " is not a valid time: " + value);
        }
    }

    /**
     * The first component of a field of the first segment of that name ({@code EVN-2}), if present and not empty.
     * MSH is not supported: its field numbering counts the separator itself.
     */
    public static Optional<String> field(String er7, String path) {
        Matcher p = FIELD_PATH.matcher(path);
        if (!p.matches() || p.group(1).equals("MSH")) {
            throw new IllegalArgumentException("not a SEG-n field path of a non-MSH segment: " + path);
        }
        int number = Integer.parseInt(p.group(2));
        for (String segment : er7.split("[\r\n]+")) {
            if (segment.startsWith(p.group(1) + "|")) {
                String[] fields = segment.split("\\|", -1);
                if (number >= fields.length) {
                    return Optional.empty();
                }
                String first = fields[number].split("[\\^~]", -1)[0];
                return first.isBlank() ? Optional.empty() : Optional.of(first);
            }
        }
        return Optional.empty();
    }
}
