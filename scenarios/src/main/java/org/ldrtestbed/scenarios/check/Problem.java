package org.ldrtestbed.scenarios.check;

/**
 * One mistake in a journey file, printed as {@code file:line:column: field: problem} (line and column 1-based, the
 * place an editor jumps to).
 */
public record Problem(String file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}
