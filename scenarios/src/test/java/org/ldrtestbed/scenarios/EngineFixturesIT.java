package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/** The engine's own fixtures, one per step type, pass against a real testbed on PostgreSQL. */
@ExtendWith(SharedTestbed.class)
class EngineFixturesIT {

    @ParameterizedTest
    @ValueSource(strings = {"write", "send-document", "sees", "change", "task-owner", "wilfred-frailty"})
    void fixturePasses(String stepType, EmbeddedTestbed testbed) throws Exception {
        JourneyResult result = JourneyITSupport.replay(
                testbed,
                new JourneyLoader().load(Path.of("src/test/resources/engine-fixtures/" + stepType + ".journey.yaml")));

        assertThat(result.actions())
                .allSatisfy(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS));
        assertThat(result.assertions())
                .isNotEmpty()
                .allSatisfy(a ->
                        assertThat(a.verdict()).as(a.id() + ": " + a.detail()).isEqualTo(Verdict.PASS));
    }
}
