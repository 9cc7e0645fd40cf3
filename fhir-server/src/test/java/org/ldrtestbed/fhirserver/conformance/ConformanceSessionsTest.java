package org.ldrtestbed.fhirserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConformanceSessionsTest {

    private static final String SESSION = "conform-dot-reference-20260301-090000";

    @Test
    void aListShowsWhatTheReportSays() {
        assertThat(ConformanceSessions.summary(SESSION, report(SESSION, "2026-03-01T09:00:00Z")))
                .isEqualTo(new ConformanceSessions.Summary(
                        SESSION, "dot-reference", Instant.parse("2026-03-01T09:00:00Z"), "PASS"));
    }

    @Test
    void aReportOfAnotherSessionIsRefusedNamingBoth() {
        assertThatThrownBy(() -> ConformanceSessions.summary(SESSION, report("conform-other", "2026-03-01T09:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conform-other")
                .hasMessageContaining(SESSION);
    }

    @Test
    void aBodyThatIsNotAReportIsRefused() {
        assertThatThrownBy(() -> ConformanceSessions.summary(SESSION, "[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConformanceSessions.summary(SESSION, "{\"session\": "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ConformanceSessions.summary(SESSION, report(SESSION, "yesterday")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("started");
    }

    @Test
    void aSessionIdIsOneSafeSegment() {
        assertThatThrownBy(() -> ConformanceSessions.summary("../etc", report("../etc", "2026-03-01T09:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session id");
    }

    @Test
    void aPassThatASystemOfItContradictsIsRefusedAndAFailIsKept() {
        String forged = report(SESSION, "2026-03-01T09:00:00Z")
                .replace("\"systems\": []", "\"systems\": [{\"name\": \"my-gp\", \"verdict\": \"FAIL\"}]");
        assertThatThrownBy(() -> ConformanceSessions.summary(SESSION, forged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PASS contradicts system my-gp's FAIL");

        String honest = forged.replace("\"verdict\": \"PASS\", \"journeys\"", "\"verdict\": \"FAIL\", \"journeys\"");
        assertThat(ConformanceSessions.summary(SESSION, honest).verdict()).isEqualTo("FAIL");
    }

    @Test
    void whatTheTableCannotHoldOrNoSessionSaysIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> ConformanceSessions.summary(
                        SESSION, report(SESSION, "2026-03-01T09:00:00Z").replace("\"PASS\"", "\"GREAT\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("verdict is one of");
        assertThatThrownBy(() -> ConformanceSessions.summary(
                        SESSION,
                        report(SESSION, "2026-03-01T09:00:00Z")
                                .replace(
                                        "\"systems-file\": \"dot-reference\"",
                                        "\"systems-file\": \"" + "x".repeat(300) + "\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 256");
        assertThatThrownBy(() -> ConformanceSessions.summary(SESSION, report(SESSION, "+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a time a session ran");
    }

    private static String report(String session, String started) {
        return """
                {"format-version": 1, "session": "%s", "systems-file": "dot-reference", "started": "%s",
                 "verdict": "PASS", "journeys": [], "systems": []}""".formatted(session, started);
    }
}
