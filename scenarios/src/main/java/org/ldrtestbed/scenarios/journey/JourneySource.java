package org.ldrtestbed.scenarios.journey;

import java.util.Map;

/**
 * Where a journey came from, and the line of each field (by JSON pointer), so that any error can name file, line
 * and field.
 */
public record JourneySource(String file, Map<String, Integer> lines) {

    public JourneySource {
        lines = Map.copyOf(lines);
    }

    /** The line of the field at {@code pointer}, or of its nearest enclosing field. */
    public int lineOf(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return 1;
            }
            p = p.substring(0, slash);
        }
    }

    public JourneyFormatException error(String pointer, String message) {
        return new JourneyFormatException(file, lineOf(pointer), JourneyFormatException.field(pointer), message);
    }
}
