package org.ldrtestbed.scenarios.journey;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.scenarios.journey.JourneyFormatException.Problem;

/**
 * A YAML file the testbed reads as data (a journey, a deployment profile): parsed, checked against its JSON Schema,
 * and refused with every problem named by file, line and field.
 */
public final class SchemaCheckedYaml {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final JsonSchema schema;
    private final String kind;

    /**
     * @param schemaLocation classpath location of the schema
     * @param kind what a file holds, in error messages ("a journey file", "a deployment profile")
     */
    public SchemaCheckedYaml(String schemaLocation, String kind) {
        this.schema = load(schemaLocation);
        this.kind = kind;
    }

    /** A file that passed its schema, with the lines its fields start on. */
    public record Checked(ObjectNode root, JourneySource source) {}

    public Checked read(String file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new JourneyFormatException(
                    file, at == null ? 1 : at.getLineNr(), "(yaml)", "not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new JourneyFormatException(file, 1, "(file)", kind + " must be a YAML mapping");
        }
        JourneySource source = new JourneySource(file, lineIndex(text));
        List<Problem> problems = new ArrayList<>();
        for (Violation v : violations(root)) {
            problems.add(new Problem(file, source.lineOf(v.pointer()), v.field(), v.message()));
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(Problem::line));
            throw new JourneyFormatException(new ArrayList<>(new LinkedHashSet<>(problems)));
        }
        return new Checked((ObjectNode) root, source);
    }

    /**
     * One way a tree breaks its schema: the pointer of the node to place it at (the misnamed field itself for an
     * unknown one, the enclosing object for a missing one), the field it names, what is wrong, and the schema
     * keyword that says so (its location in the schema, e.g. {@code #/$defs/step/additionalProperties}).
     */
    public record Violation(String pointer, String field, String message, String schemaLocation) {}

    /** Everything in {@code root} its schema refuses (empty when it passes). */
    public List<Violation> violations(JsonNode root) {
        List<Violation> violations = new ArrayList<>();
        for (ValidationMessage message : schema.validate(root)) {
            String pointer = message.getInstanceLocation().toString();
            if (message.getProperty() != null && !"required".equals(message.getType())) {
                pointer = pointer + "/" + message.getProperty();
            }
            String field = JourneyFormatException.field(pointer);
            if ("required".equals(message.getType()) && message.getProperty() != null) {
                field = JourneyFormatException.field(pointer + "/" + message.getProperty());
            }
            violations.add(new Violation(
                    pointer, field, withoutLocation(message), String.valueOf(message.getSchemaLocation())));
        }
        return violations;
    }

    /** JSON pointer of every field and array item → the line it starts on. */
    public static Map<String, Integer> lineIndex(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME || token.isScalarValue() || token.isStructStart()) {
                    String pointer = parser.getParsingContext().pathAsPointer().toString();
                    lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // The tree parse already reported malformed YAML; a partial index still locates what it can.
        }
        return lines;
    }

    private static String withoutLocation(ValidationMessage message) {
        String text = message.getMessage();
        String prefix = message.getInstanceLocation().toString() + ": ";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }

    private static JsonSchema load(String location) {
        try (InputStream in = SchemaCheckedYaml.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException("Schema missing from the classpath: " + location);
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
