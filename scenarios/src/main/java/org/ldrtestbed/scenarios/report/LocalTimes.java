package org.ldrtestbed.scenarios.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as people in the place read them: local UK time, with GMT or BST said. */
public final class LocalTimes {

    public static final ZoneId UK = ZoneId.of("Europe/London");

    private static final DateTimeFormatter FULL =
            DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm zzz", Locale.UK).withZone(UK);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.UK).withZone(UK);
    private static final DateTimeFormatter SHORT_DAY =
            DateTimeFormatter.ofPattern("EEE d MMM", Locale.UK).withZone(UK);
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm", Locale.UK).withZone(UK);

    private LocalTimes() {}

    /** "Mon 12 Jan 2026, 08:00 GMT". */
    public static String full(Instant at) {
        return at == null ? "" : FULL.format(at);
    }

    /** "Mon 12 Jan 2026". */
    public static String day(Instant at) {
        return at == null ? "" : DAY.format(at);
    }

    /** "Mon 12 Jan". */
    public static String shortDay(Instant at) {
        return at == null ? "" : SHORT_DAY.format(at);
    }

    public static int year(Instant at) {
        return at.atZone(UK).getYear();
    }

    /** "08:00". */
    public static String clock(Instant at) {
        return at == null ? "" : CLOCK.format(at);
    }
}
