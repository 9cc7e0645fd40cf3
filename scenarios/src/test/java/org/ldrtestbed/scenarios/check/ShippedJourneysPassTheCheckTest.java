package org.ldrtestbed.scenarios.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every journey the testbed ships, and every engine fixture, is fit to run by the check's standards. */
class ShippedJourneysPassTheCheckTest {

    private final JourneyChecker checker = new JourneyChecker();

    @Test
    void everyShippedJourneyAndEngineFixturePasses() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("src/main/resources/journeys", "src/test/resources/engine-fixtures")) {
            try (Stream<Path> paths = Files.walk(Path.of(dir))) {
                paths.filter(p -> p.toString().endsWith(".journey.yaml"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(11);
        List<Problem> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(checker.check(file, Files.readString(file, StandardCharsets.UTF_8)));
        }
        assertThat(problems).extracting(Problem::toString).isEmpty();
    }
}
