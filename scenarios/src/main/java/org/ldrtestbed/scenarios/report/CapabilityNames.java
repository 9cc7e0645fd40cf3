package org.ldrtestbed.scenarios.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each capability code means, in words a board reads, from {@code report/capabilities.yaml}: "a — GP
 * medications and allergies available everywhere".
 */
public final class CapabilityNames {

    public static final String LOCATION = "report/capabilities.yaml";

    private final Map<String, String> names;

    private CapabilityNames(Map<String, String> names) {
        this.names = Collections.unmodifiableMap(names);
    }

    public static CapabilityNames load() {
        try (InputStream in = CapabilityNames.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("Capability names missing from the classpath: " + LOCATION);
            }
            Map<String, String> names = new LinkedHashMap<>();
            for (JsonNode c : new YAMLMapper().readTree(in).path("capabilities")) {
                names.put(c.path("code").asText(), c.path("name").asText());
            }
            return new CapabilityNames(names);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LOCATION, e);
        }
    }

    /** The capability in words; the code itself when the file does not name it. */
    public String name(String code) {
        return names.getOrDefault(code, code);
    }

    /** "a — GP medications and allergies available everywhere". */
    public String label(String code) {
        return names.containsKey(code) ? code + " — " + names.get(code) : code;
    }

    /** Every named code, in the file's order. */
    public Map<String, String> all() {
        return names;
    }
}
