package org.ldrtestbed.scenarios.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** The problems found in one file, each placed by the document's positions. */
final class Findings {

    private final String file;
    private final YamlDocument document;
    private final List<Problem> problems = new ArrayList<>();

    Findings(String file, YamlDocument document) {
        this.file = file;
        this.document = document;
    }

    String file() {
        return file;
    }

    YamlDocument document() {
        return document;
    }

    /** A problem with the field or item at {@code pointer}, placed where it starts. */
    void at(String pointer, String message) {
        at(pointer, document.at(pointer), message);
    }

    /** A problem with the string at {@code pointer}, placed where {@code needle} occurs in it. */
    void in(String pointer, String needle, String message) {
        at(pointer, document.find(pointer, needle), message);
    }

    void at(String pointer, YamlDocument.Position position, String message) {
        problems.add(new Problem(file, position.line(), position.column(), YamlDocument.field(pointer), message));
    }

    void add(Problem problem) {
        problems.add(problem);
    }

    boolean has(int line, int column) {
        return problems.stream().anyMatch(p -> p.line() == line && p.column() == column);
    }

    boolean hasOnLine(int line, String messageStart) {
        return problems.stream().anyMatch(p -> p.line() == line && p.message().startsWith(messageStart));
    }

    int count() {
        return problems.size();
    }

    /** In file order, each once. */
    List<Problem> sorted() {
        List<Problem> sorted = new ArrayList<>(new LinkedHashSet<>(problems));
        sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return sorted;
    }
}
