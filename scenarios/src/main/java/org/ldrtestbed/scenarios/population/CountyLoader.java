package org.ldrtestbed.scenarios.population;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.journey.JourneyFormatException.Problem;
import org.ldrtestbed.scenarios.journey.JourneySource;
import org.ldrtestbed.scenarios.journey.SchemaCheckedYaml;

/**
 * Reads a county file: YAML checked against {@code population/county.schema.json} (which requires a source for
 * every figure), then for what a schema cannot say: shares that add up to 1, age bands contiguous from 0, a
 * prevalence for every band, events naming conditions the county has and ages in order. Every problem names file, line and field.
 */
public final class CountyLoader {

    public static final String SCHEMA_LOCATION = "population/county.schema.json";

    /** The synthetic Oxfordshire shipped with the testbed. */
    public static final String OXFORDSHIRE = "population/oxfordshire.county.yaml";

    private static final SchemaCheckedYaml FILES = new SchemaCheckedYaml(SCHEMA_LOCATION, "a county file");

    /** Shares written to two or three decimals add up to 1 within this. */
    private static final double SHARE_SLACK = 1e-9;

    public County loadResource(String location) {
        try (InputStream in = CountyLoader.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalArgumentException("No county file on the classpath at " + location);
            }
            return load(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public County load(String file, String text) {
        SchemaCheckedYaml.Checked checked = FILES.read(file, text);
        ObjectNode root = checked.root();
        JourneySource source = checked.source();
        List<Problem> problems = new ArrayList<>();

        List<County.Locality> localities = new ArrayList<>();
        Set<String> practices = new HashSet<>();
        JsonNode ls = root.path("localities");
        for (int l = 0; l < ls.size(); l++) {
            JsonNode locality = ls.get(l);
            List<County.Practice> ps = new ArrayList<>();
            JsonNode pNodes = locality.path("practices");
            for (int p = 0; p < pNodes.size(); p++) {
                String ods = pNodes.get(p).path("ods").asText();
                if (!practices.add(ods)) {
                    problems.add(
                            problem(source, "/localities/" + l + "/practices/" + p + "/ods", ods + " is listed twice"));
                }
                ps.add(new County.Practice(ods, value(pNodes.get(p).path("share"))));
            }
            checkSum(
                    ps.stream().mapToDouble(County.Practice::share).sum(),
                    "/localities/" + l + "/practices",
                    "the practices' shares",
                    source,
                    problems);
            localities.add(new County.Locality(locality.path("name").asText(), value(locality.path("share")), ps));
        }
        checkSum(
                localities.stream().mapToDouble(County.Locality::share).sum(),
                "/localities",
                "the localities' shares",
                source,
                problems);

        List<County.AgeBand> bands = new ArrayList<>();
        JsonNode bs = root.path("age-bands");
        int expectedFrom = 0;
        for (int b = 0; b < bs.size(); b++) {
            JsonNode band = bs.get(b);
            int from = band.path("from").asInt();
            int to = band.path("to").asInt();
            if (from != expectedFrom) {
                problems.add(problem(
                        source,
                        "/age-bands/" + b + "/from",
                        "bands must be contiguous from 0: expected " + expectedFrom + ", found " + from));
            }
            if (to < from) {
                problems.add(problem(source, "/age-bands/" + b + "/to", "to " + to + " is below from " + from));
            }
            expectedFrom = to + 1;
            bands.add(new County.AgeBand(
                    band.path("band").asText(), from, to, value(band.path("share")), value(band.path("lives-alone"))));
        }
        checkSum(
                bands.stream().mapToDouble(County.AgeBand::share).sum(),
                "/age-bands",
                "the age bands' shares",
                source,
                problems);

        Map<String, Map<String, Double>> conditions = new LinkedHashMap<>();
        root.path("conditions").fields().forEachRemaining(c -> {
            Map<String, Double> prevalence = new LinkedHashMap<>();
            String at = "/conditions/" + c.getKey() + "/prevalence";
            JsonNode given = c.getValue().path("prevalence");
            for (County.AgeBand band : bands) {
                if (given.has(band.band())) {
                    prevalence.put(band.band(), value(given.path(band.band())));
                } else {
                    problems.add(problem(source, at, "no prevalence for age band " + band.band()));
                }
            }
            given.fieldNames().forEachRemaining(name -> {
                if (bands.stream().noneMatch(b -> b.band().equals(name))) {
                    problems.add(problem(source, at + "/" + name, "no age band " + name));
                }
            });
            conditions.put(c.getKey(), prevalence);
        });

        List<County.EventRate> events = new ArrayList<>();
        JsonNode es = root.path("events");
        for (int e = 0; e < es.size(); e++) {
            JsonNode event = es.get(e);
            String at = "/events/" + e;
            Optional<String> condition =
                    Optional.ofNullable(event.path("condition").textValue());
            condition
                    .filter(c -> !conditions.containsKey(c))
                    .ifPresent(
                            c -> problems.add(problem(source, at + "/condition", "the county has no condition " + c)));
            int fromAge = event.path("ages").path("from").asInt(0);
            int toAge = event.path("ages").path("to").asInt(Integer.MAX_VALUE);
            if (toAge < fromAge) {
                problems.add(problem(source, "/events/" + e + "/ages/to", "to " + toAge + " is below from " + fromAge));
            }
            events.add(new County.EventRate(
                    event.path("template").asText(),
                    condition,
                    fromAge,
                    toAge,
                    value(event.path("rate-per-person-year"))));
        }

        if (!problems.isEmpty()) {
            problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
            throw new JourneyFormatException(problems);
        }
        return new County(
                root.path("county").asText(),
                root.path("title").asText(),
                (long) value(root.path("residents")),
                localities,
                bands,
                conditions,
                events);
    }

    private static double value(JsonNode figure) {
        return figure.path("value").asDouble();
    }

    private static void checkSum(
            double sum, String pointer, String what, JourneySource source, List<Problem> problems) {
        if (Math.abs(sum - 1) > SHARE_SLACK) {
            problems.add(problem(source, pointer, what + " add up to " + sum + ", not 1"));
        }
    }

    private static Problem problem(JourneySource source, String pointer, String message) {
        return source.error(pointer, message).problems().get(0);
    }
}
