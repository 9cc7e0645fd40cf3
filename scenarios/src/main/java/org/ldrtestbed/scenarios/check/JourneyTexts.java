package org.ldrtestbed.scenarios.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The text of a journey to check, before it is loaded: a file by path, or a shipped journey by id (named in messages
 * as the loader names it, {@code journeys/<pathway>/<name>.journey.yaml}).
 */
public final class JourneyTexts {

    private static final Pattern ID = Pattern.compile("(?m)^journey:\\s*[\"']?([A-Za-z0-9-]+)");

    /** A journey's name (for messages) and text. */
    public record Text(String name, String text) {}

    private JourneyTexts() {}

    /** A file (a path ending .yaml that exists), else the shipped journey with that id. */
    public static Optional<Text> find(String idOrPath) {
        Path path = Path.of(idOrPath);
        if (idOrPath.endsWith(".yaml") && Files.isRegularFile(path)) {
            try {
                return Optional.of(new Text(idOrPath, Files.readString(path, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + idOrPath, e);
            }
        }
        return shipped().stream().filter(t -> idOrPath.equals(idOf(t.text()))).findFirst();
    }

    /** Every {@code .journey.yaml} in a folder and below it, in path order. */
    public static List<Text> under(Path folder) {
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            List<Text> texts = new ArrayList<>();
            for (Path p : paths.filter(p -> p.toString().endsWith(".journey.yaml"))
                    .sorted()
                    .toList()) {
                texts.add(new Text(p.toString(), Files.readString(p, StandardCharsets.UTF_8)));
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the journeys under " + folder, e);
        }
    }

    /** Every shipped journey. */
    public static List<Text> shipped() {
        List<Text> texts = new ArrayList<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(JourneyCatalogue.PATTERN)) {
                String url = r.getURL().toString();
                int at = url.lastIndexOf("journeys/");
                texts.add(new Text(at >= 0 ? url.substring(at) : url, r.getContentAsString(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the shipped journeys", e);
        }
        return texts;
    }

    /** The journey id a text declares, or null. */
    static String idOf(String text) {
        Matcher m = ID.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
