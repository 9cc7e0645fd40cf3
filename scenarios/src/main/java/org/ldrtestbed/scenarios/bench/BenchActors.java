package org.ldrtestbed.scenarios.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * Who the benchmarks act as and which organisations they name, read from {@code bench/bench-actors.yaml}: data, so a
 * realm or directory of one's own needs no code change.
 */
public record BenchActors(String admin, Access access, Flows flows) {

    public static final String LOCATION = "bench/bench-actors.yaml";

    public BenchActors {
        Objects.requireNonNull(admin, LOCATION + ": admin");
        Objects.requireNonNull(access, LOCATION + ": access");
        Objects.requireNonNull(flows, LOCATION + ": flows");
    }

    public record Access(String writer, String relatedReader, String unrelatedReader) {}

    public record Flows(
            String registrar,
            Map<String, String> senders,
            String noticeBystander,
            String bystander,
            Organisations organisations) {

        /** The professional whose write starts the flow. */
        public String sender(String flow) {
            String sender = senders.get(flow);
            if (sender == null) {
                throw new IllegalStateException(LOCATION + " names no sender for flow " + flow);
            }
            return sender;
        }
    }

    public record Organisations(String practice, String acuteTrust, String council, String pharmacy) {}

    private static final BenchActors SHIPPED = load();

    /** The shipped file's actors. */
    public static BenchActors shipped() {
        return SHIPPED;
    }

    private static BenchActors load() {
        try (InputStream in = BenchActors.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("no " + LOCATION + " on the class path");
            }
            return YAMLMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                    .build()
                    .readValue(in, BenchActors.class);
        } catch (IOException e) {
            throw new UncheckedIOException(LOCATION + ": " + e.getMessage(), e);
        }
    }
}
