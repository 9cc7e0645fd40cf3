package org.ldrtestbed.scenarios.journey;

import java.util.List;
import java.util.stream.Collectors;

/** A journey file that cannot be run, with every problem located by file, line and field. */
public final class JourneyFormatException extends RuntimeException {

    private final List<Problem> problems;

    public JourneyFormatException(String file, int line, String field, String message) {
        this(List.of(new Problem(file, line, field, message)));
    }

    public JourneyFormatException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Turns a JSON pointer such as {@code /steps/3/actor/role} into {@code steps[3].actor.role}. */
    public static String field(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return "(journey)";
        }
        StringBuilder field = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (name.matches("\\d+")) {
                field.append('[').append(name).append(']');
            } else {
                field.append(field.isEmpty() ? "" : ".").append(name);
            }
        }
        return field.toString();
    }

    /** One problem: {@code file:line: field: message}. */
    public record Problem(String file, int line, String field, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + field + ": " + message;
        }
    }
}
