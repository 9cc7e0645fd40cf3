package org.ldrtestbed.routes.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.io.DefaultResourceLoader;

/** The flows of {@code flows/catalogue.yaml}. */
public record FlowCatalogue(List<SharingFlow> flows) {

    public static final String DEFAULT_LOCATION = "classpath:flows/catalogue.yaml";

    public FlowCatalogue {
        flows = List.copyOf(flows);
        Set<String> codes = new HashSet<>();
        for (SharingFlow flow : flows) {
            if (flow.code() == null || !flow.code().matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("Flow code must be kebab-case: " + flow.code());
            }
            if (!codes.add(flow.code())) {
                throw new IllegalArgumentException("Flow code appears twice: " + flow.code());
            }
            if (flow.capability() == null || !flow.capability().matches("[a-j]|record-sharing")) {
                throw new IllegalArgumentException("Flow " + flow.code()
                        + " needs a capability letter a-j, or record-sharing, not " + flow.capability());
            }
        }
    }

    public Optional<SharingFlow> flow(String code) {
        return flows.stream().filter(f -> f.code().equals(code)).findFirst();
    }

    public static FlowCatalogue load(String location) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
            return yaml.readValue(in, FlowCatalogue.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read flow catalogue " + location + ": " + e.getMessage(), e);
        }
    }
}
