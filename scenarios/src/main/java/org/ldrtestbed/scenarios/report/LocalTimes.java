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

    /** A rule's length as people say it: "15 minutes", "24 hours", "3 days"; otherwise as measured. */
    public static String rule(java.time.Duration d) {
        if (d == null) {
            return "";
        }
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toDays() == 1 ? "1 day" : d.toDays() + " days";
        }
        if (d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toHours() > 0) {
            return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
        }
        if (d.toSecondsPart() == 0 && d.toMinutes() > 0) {
            return d.toMinutes() == 1 ? "1 minute" : d.toMinutes() + " minutes";
        }
        return ConsoleReport.human(d);
    }

    /** "08:00". */
    public static String clock(Instant at) {
        return at == null ? "" : CLOCK.format(at);
    }
}
