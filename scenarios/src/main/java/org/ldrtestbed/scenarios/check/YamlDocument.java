package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A journey file read strictly: the tree the loader reads (Jackson), and from SnakeYAML's node tree the line and
 * column of every field and item (by JSON pointer), plus what YAML accepts but a journey must not hold: a key given
 * twice (YAML keeps the last silently) and unquoted text cut at a comma inside {@code {...}} or {@code [...]}.
 */
final class YamlDocument {

    private static final YAMLMapper JACKSON = new YAMLMapper();

    /** A place in the file, 1-based. */
    record Position(int line, int column) {
        static final Position START = new Position(1, 1);

        static Position of(Mark mark) {
            return new Position(mark.getLine() + 1, mark.getColumn() + 1);
        }
    }

    /** A problem YAML itself lets through, at a pointer (for the field's name) and a position. */
    record Finding(String pointer, Position at, String message) {}

    private final String text;
    private final JsonNode tree;
    private final Map<String, Position> keys = new HashMap<>();
    private final Map<String, Position> values = new HashMap<>();
    private final Map<String, Integer> valueOffsets = new HashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private final int[] lineStarts;
    private final boolean surrogates;

    private YamlDocument(String text, Node root, JsonNode tree) {
        this.text = text;
        this.tree = tree;
        this.lineStarts = lineStarts(text);
        this.surrogates = text.chars().anyMatch(c -> Character.isSurrogate((char) c));
        if (root != null) {
            index(root, "", new IdentityHashMap<>());
        }
    }

    /** The file's syntax error, at the parser's mark, when it is not YAML at all. */
    record SyntaxError(Position at, String message) {}

    /** Parses the text; a syntax error comes back instead of a document. */
    static Object parse(String text) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            return new SyntaxError(mark == null ? Position.START : Position.of(mark), what + context + hint(what));
        } catch (RuntimeException e) {
            return new SyntaxError(Position.START, String.valueOf(e.getMessage()));
        }
        JsonNode tree;
        try {
            tree = JACKSON.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            return new SyntaxError(
                    at == null ? Position.START : new Position(at.getLineNr(), Math.max(1, at.getColumnNr())),
                    e.getOriginalMessage());
        }
        return new YamlDocument(text, root, tree);
    }

    /** What an author most often did to get the parser's message, which names only what it found. */
    private static String hint(String problem) {
        return "mapping values are not allowed here".equals(problem)
                ? "; usually an unquoted ': ' inside a text (quote the text), or this line or the one above it"
                        + " indented wrongly"
                : "";
    }

    JsonNode tree() {
        return tree;
    }

    List<Finding> findings() {
        return findings;
    }

    /** Where the field (its key) or item at {@code pointer} starts, else its nearest enclosing one. */
    Position at(String pointer) {
        String p = pointer;
        while (true) {
            Position found = keys.containsKey(p) ? keys.get(p) : values.get(p);
            if (found != null) {
                return found;
            }
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return Position.START;
            }
            p = p.substring(0, slash);
        }
    }

    /** Where the value at {@code pointer} starts (for a problem inside a string), else {@link #at}. */
    Position valueAt(String pointer) {
        return Optional.ofNullable(values.get(pointer)).orElseGet(() -> at(pointer));
    }

    /** The pointer of the first field named {@code name} at or below {@code pointer}, in file order. */
    Optional<String> firstFieldNamed(String pointer, String name) {
        String suffix = "/" + escape(name);
        return keys.entrySet().stream()
                .filter(e -> e.getKey().startsWith(pointer + "/") && e.getKey().endsWith(suffix))
                .min((a, b) -> a.getValue().line() != b.getValue().line()
                        ? Integer.compare(a.getValue().line(), b.getValue().line())
                        : Integer.compare(a.getValue().column(), b.getValue().column()))
                .map(Map.Entry::getKey);
    }

    /**
     * Where {@code needle} (e.g. one template of a string) first occurs in the file at or after the start of the
     * value at {@code pointer}: the exact place of a mistake inside a longer string; else the value's start.
     */
    Position find(String pointer, String needle) {
        Integer from = valueOffsets.get(pointer);
        if (from == null) {
            return valueAt(pointer);
        }
        int at = text.indexOf(needle, from);
        return at < 0 ? valueAt(pointer) : positionOf(at);
    }

    private Position positionOf(int offset) {
        int line = java.util.Arrays.binarySearch(lineStarts, offset);
        if (line < 0) {
            line = -line - 2;
        }
        return new Position(line + 1, offset - lineStarts[line] + 1);
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private int charOffset(Mark mark) {
        // SnakeYAML counts code points; the text is indexed by chars (the same unless it holds surrogate pairs).
        if (!surrogates) {
            return Math.min(mark.getIndex(), text.length());
        }
        int points = Math.min(mark.getIndex(), text.codePointCount(0, text.length()));
        return text.offsetByCodePoints(0, points);
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static String field(String pointer) {
        return JourneyFormatException.field(pointer);
    }

    private void index(Node node, String pointer, IdentityHashMap<Node, Boolean> seen) {
        values.putIfAbsent(pointer, Position.of(node.getStartMark()));
        if (node instanceof ScalarNode) {
            valueOffsets.putIfAbsent(pointer, charOffset(node.getStartMark()));
        }
        if (seen.put(node, Boolean.TRUE) != null) {
            return; // an alias of a node already indexed
        }
        if (node instanceof MappingNode mapping) {
            Map<String, Position> firstAt = new HashMap<>();
            List<NodeTuple> tuples = mapping.getValue();
            for (int i = 0; i < tuples.size(); i++) {
                NodeTuple tuple = tuples.get(i);
                if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                    continue;
                }
                String key = keyNode.getValue();
                String child = pointer + "/" + escape(key);
                Position keyAt = Position.of(keyNode.getStartMark());
                Position first = firstAt.putIfAbsent(key, keyAt);
                if (first != null) {
                    findings.add(new Finding(
                            child,
                            keyAt,
                            "key '" + key + "' is given twice (first at line " + first.line()
                                    + "); YAML would keep only this one"));
                    continue;
                }
                keys.put(child, keyAt);
                if (mapping.getFlowStyle() == DumperOptions.FlowStyle.FLOW && isImplicitNull(keyNode, tuple)) {
                    commaSplitKey(tuples, i, pointer, keyNode, keyAt);
                }
                index(tuple.getValueNode(), child, seen);
            }
        } else if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                if (sequence.getFlowStyle() == DumperOptions.FlowStyle.FLOW && i > 0) {
                    commaSplitItem(items.get(i - 1), items.get(i), pointer + "/" + i);
                }
                index(items.get(i), pointer + "/" + i, seen);
            }
        }
    }

    /** {@code {text: a, b}}: YAML reads {@code b} as a key with no value, cutting the text at the comma. */
    private void commaSplitKey(List<NodeTuple> tuples, int i, String pointer, ScalarNode keyNode, Position keyAt) {
        String cut = keyNode.getValue();
        if (i == 0 || !(tuples.get(i - 1).getKeyNode() instanceof ScalarNode previousKey)) {
            findings.add(new Finding(
                    pointer + "/" + escape(cut),
                    keyAt,
                    "'" + cut + "' has no value: inside {...} a field needs 'name: value'"));
            return;
        }
        Node previousValue = tuples.get(i - 1).getValueNode();
        String whole = previousValue instanceof ScalarNode s ? s.getValue() + ", " + cut : cut;
        findings.add(new Finding(
                pointer + "/" + escape(previousKey.getValue()),
                keyAt,
                "unquoted text cut at a comma: YAML made '" + cut + "' a field of its own; quote the whole text: \""
                        + whole + "\""));
    }

    /** {@code [Lives with his wife, who is his carer]}: a plain item that reads on from the one before it. */
    private void commaSplitItem(Node previous, Node item, String pointer) {
        if (previous instanceof ScalarNode p
                && item instanceof ScalarNode s
                && p.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                && p.getValue().contains(" ")
                && s.getValue().contains(" ")
                && Character.isLowerCase(s.getValue().codePointAt(0))) {
            findings.add(new Finding(
                    pointer,
                    Position.of(s.getStartMark()),
                    "unquoted text cut at a comma? '" + s.getValue() + "' reads on from '" + p.getValue()
                            + "'; if it is one text, quote it: \"" + p.getValue() + ", " + s.getValue()
                            + "\" (two, quote each)"));
        }
    }

    /** True for a key written without a colon (YAML gives it an empty null), not {@code key: null} or {@code key:}. */
    private boolean isImplicitNull(ScalarNode key, NodeTuple tuple) {
        if (!(tuple.getValueNode() instanceof ScalarNode value)
                || !Tag.NULL.equals(value.getTag())
                || !value.getValue().isEmpty()) {
            return false;
        }
        int at = charOffset(key.getEndMark());
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at >= text.length() || text.charAt(at) != ':';
    }
}
