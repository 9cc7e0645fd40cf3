package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Update, patch, reads by id, refused writes and recorded-at against a real testbed: what passes, and what the
 * engine says when a change meets a newer version or a refusal does not come.
 */
@ExtendWith(SharedTestbed.class)
class ChangeActionsIT {

    private static final Path FIXTURES = Path.of("src/test/resources/engine-fixtures");

    @Test
    void refusalsAreAssertionsAndRecordedAtIsWhatTimelinessCountsFrom(EmbeddedTestbed testbed) throws Exception {
        JourneyResult result =
                JourneyITSupport.replay(testbed, new JourneyLoader().load(FIXTURES.resolve("change.journey.yaml")));

        assertThat(assertion(result, "change-gp-may-not-amend-visit"))
                .satisfies(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS))
                .satisfies(a -> assertThat(a.capabilities()).containsExactly("governance"))
                .satisfies(a -> assertThat(a.detail()).contains("HTTP 403").contains("not-writer"));
        assertThat(assertion(result, "change-eol-plan-needs-author"))
                .satisfies(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS))
                .satisfies(a -> assertThat(a.capabilities()).containsExactly("h"))
                .satisfies(a -> assertThat(a.detail()).contains("HTTP 422").contains("flow eol-pointer"));
        // The problem was recorded at 19:00 the evening before and filed at 07:00: timeliness counts from 19:00.
        assertThat(result.timeliness())
                .filteredOn(
                        t -> t.flow().equals("gp-record-sharing") && t.stepId().equals("gp-registers"))
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.from()).isEqualTo(Instant.parse("2026-03-01T19:00:00Z")));
    }

    @Test
    void aStaleVersionIsAConflictAndAnAcceptedWriteFailsItsRefusal(EmbeddedTestbed testbed) throws Exception {
        JourneyResult result =
                JourneyITSupport.replay(testbed, new JourneyLoader().load(FIXTURES.resolve("conflict.journey.yaml")));

        assertThat(assertion(result, "conflict-booked").verdict()).isEqualTo(Verdict.PASS);
        JourneyResult.ActionResult patch = result.steps().stream()
                .filter(s -> s.id().equals("gp-amends-slot"))
                .findFirst()
                .orElseThrow()
                .actions()
                .getFirst();
        assertThat(patch.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(patch.detail())
                .contains("conflict.journey.yaml:")
                .contains("version conflict on the patch of 'slot'")
                .contains("last wrote or read version 1")
                .contains("the server holds version 2");

        AssertionResult accepted = assertion(result, "conflict-expected-refusal");
        assertThat(accepted.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(accepted.detail()).contains("ACCEPTED").contains("expected it refused (role)");
        assertThat(result.passed()).isFalse();
    }

    private static AssertionResult assertion(JourneyResult result, String id) {
        return result.assertions()
                .filter(a -> a.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no assertion " + id + " in "
                        + result.assertions().map(AssertionResult::id).toList()));
    }
}
