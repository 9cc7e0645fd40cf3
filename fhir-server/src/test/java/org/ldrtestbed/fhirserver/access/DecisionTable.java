package org.ldrtestbed.fhirserver.access;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run of the access matrix: for every reader and entry, what the policy expects and what the server did.
 *
 * @param cells one per reader × entry × check (read, search, search total, leak, count)
 * @param requests HTTP requests the matrix made, set-up included
 * @param setUp time taken writing the patients and entries
 * @param elapsed time taken asking the server
 */
record DecisionTable(List<Cell> cells, int requests, Duration setUp, Duration elapsed) {

    /**
     * One check.
     *
     * @param reader who asked (user, role, purpose of use)
     * @param subject which entry, or which search
     * @param check what was asked: read, search...
     * @param expected what the policy says
     * @param got what the server answered
     * @param agrees whether that is what the policy says
     */
    record Cell(String reader, String subject, String check, String expected, String got, boolean agrees) {
        String key() {
            return reader + " | " + subject + " | " + check;
        }
    }

    DecisionTable {
        cells = cells.stream()
                .sorted(Comparator.comparing(Cell::reader)
                        .thenComparing(Cell::subject)
                        .thenComparing(Cell::check))
                .toList();
    }

    List<Cell> disagreements() {
        return cells.stream().filter(c -> !c.agrees()).toList();
    }

    /** What the server answered, by reader, subject and check: comparable between two servers. */
    Map<String, String> answers() {
        Map<String, String> answers = new LinkedHashMap<>();
        cells.forEach(c -> answers.put(c.key(), c.got()));
        return answers;
    }

    long cases() {
        return cells.stream().filter(c -> c.check().equals("read")).count();
    }

    String summary() {
        return String.format(
                "%d cases (reader × entry), %d checks, %d requests; set-up %.1f s, matrix %.1f s; %d disagreements",
                cases(),
                cells.size(),
                requests,
                setUp.toMillis() / 1000.0,
                elapsed.toMillis() / 1000.0,
                disagreements().size());
    }

    /** The cells as a fixed-width table, one line each. */
    static String render(List<Cell> cells) {
        List<String[]> rows = cells.stream()
                .map(c -> new String[] {c.reader(), c.subject(), c.check(), c.expected(), c.got()})
                .collect(Collectors.toList());
        rows.addFirst(new String[] {"reader", "entry", "check", "expected (policy)", "got (server)"});
        int[] widths = new int[5];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(String.format("%-" + widths[i] + "s", row[i]));
                out.append(i == row.length - 1 ? "\n" : "  ");
            }
        }
        return out.toString();
    }
}
