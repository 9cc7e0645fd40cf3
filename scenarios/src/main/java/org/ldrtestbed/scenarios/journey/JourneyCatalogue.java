package org.ldrtestbed.scenarios.journey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The journeys shipped under {@code journeys/} on the classpath, found by id; or a journey file given by path. */
public final class JourneyCatalogue {

    public static final String PATTERN = "classpath*:journeys/**/*.journey.yaml";

    private final JourneyLoader loader = new JourneyLoader();

    /** Every shipped journey, loaded and validated. */
    public List<Journey> all() {
        List<Journey> journeys = new ArrayList<>();
        for (Resource resource : resources()) {
            journeys.add(load(resource));
        }
        return journeys;
    }

    /** A journey by id, or by path to a file. */
    public Optional<Journey> find(String idOrPath) {
        Path path = Path.of(idOrPath);
        if (idOrPath.endsWith(".yaml") && Files.isRegularFile(path)) {
            return Optional.of(loader.load(path));
        }
        return all().stream().filter(j -> j.id().equals(idOrPath)).findFirst();
    }

    private Journey load(Resource resource) {
        try {
            String text = resource.getContentAsString(StandardCharsets.UTF_8);
            return loader.load(displayName(resource), text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static String displayName(Resource resource) throws IOException {
        String url = resource.getURL().toString();
        int at = url.lastIndexOf("journeys/");
        return at >= 0 ? url.substring(at) : url;
    }

    private static Resource[] resources() {
        try {
            return new PathMatchingResourcePatternResolver().getResources(PATTERN);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list journeys", e);
        }
    }
}
