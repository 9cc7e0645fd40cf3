package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.conformance.SystemsFile.FlowBinding;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.engine.AdminApis;
import org.ldrtestbed.scenarios.engine.SupplierMode;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * What a message that did not come from a sending system does to the assertions after it: one that fails against the
 * record and waits on that flow is BLOCKED (it may have needed the message), one that passes did not need it and stays
 * PASS, and one of another flow is left as it was checked.
 */
class SupplierSessionBlockingTest {

    private static final String RUN = "run-blocking";
    private HttpServer testbed;

    @AfterEach
    void stop() {
        if (testbed != null) {
            testbed.stop(0);
        }
    }

    @Test
    void onlyAFailedAssertionOfTheFlowWhoseMessageNeverCameIsBlocked() throws Exception {
        SupplierSession session = sessionWhoseSenderNeverSends();
        ActionResult action = session.awaitSent(turn(session));
        assertThat(action.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(action.detail()).contains("nothing arrived");

        AssertionResult blocked = session.judged(assertion(Verdict.FAIL, "adt-notification"));
        assertThat(blocked.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(blocked.detail()).contains("adt-notification").contains("against the record: none seen");

        assertThat(session.judged(assertion(Verdict.PASS, "adt-notification")).verdict())
                .isEqualTo(Verdict.PASS);
        // One that could not even be asked (a label the message would have filled) is blocked too.
        assertThat(session.judged(assertion(Verdict.ERROR, "adt-notification")).verdict())
                .isEqualTo(Verdict.BLOCKED);
        assertThat(session.judged(assertion(Verdict.FAIL, "discharge-summary")).verdict())
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void withNothingFailedAFailedAssertionStaysFailed() {
        SupplierSession session = new SupplierSession(
                List.of(pas()),
                catalogue(),
                new FhirValidation(FhirContext.forR4Cached()),
                Duration.ofSeconds(1),
                List.of(),
                Clock.systemUTC());
        assertThat(session.judged(assertion(Verdict.FAIL, "adt-notification")).verdict())
                .isEqualTo(Verdict.FAIL);
    }

    private SupplierSession sessionWhoseSenderNeverSends() throws Exception {
        // A testbed that takes the prompt and whose run's exchanges stay empty.
        testbed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        testbed.createContext("/testbed/runs/", http -> {
            byte[] body = (http.getRequestMethod().equals("GET") ? "[]" : "{}").getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().add("Content-Type", "application/json");
            http.sendResponseHeaders(200, body.length);
            http.getResponseBody().write(body);
            http.close();
        });
        testbed.start();
        return new SupplierSession(
                List.of(pas()),
                catalogue(),
                new FhirValidation(FhirContext.forR4Cached()),
                Duration.ofSeconds(1),
                List.of(),
                Clock.systemUTC());
    }

    private SupplierMode.Turn turn(SupplierSession session) throws Exception {
        Step.SendHl7v2 send = new Step.SendHl7v2("the PAS admits Dot", "adt-notification", AdtMessagesTest.sample());
        Step step = new Step(
                0,
                "pas-admits",
                "The PAS admits Dot (synthetic)",
                null,
                false,
                Duration.ZERO,
                new Step.Actor("ward-clerk", "SYNAC", null),
                Set.of(),
                List.of(send),
                List.of(),
                null);
        return new SupplierMode.Turn(
                RUN,
                "fixture",
                "9990000077",
                step,
                send,
                AdtMessagesTest.sample(),
                Instant.now(),
                session.bindings().getFirst(),
                AdminApis.at(
                        URI.create("http://127.0.0.1:" + testbed.getAddress().getPort() + "/")));
    }

    private static SystemBinding pas() {
        return new SystemBinding(
                "reference-pas",
                "a PAS that never sends (synthetic)",
                "SYNAC",
                List.of(),
                List.of(new FlowBinding("adt-notification", "mllp")),
                null,
                null);
    }

    private static FlowCatalogue catalogue() {
        return FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    }

    private static AssertionResult assertion(Verdict verdict, String flow) {
        return new AssertionResult(
                "gp-told",
                "gp-told-of-admission",
                "The GP is told of the admission",
                Set.of(),
                Set.of(flow),
                "Communication?patient=1",
                verdict,
                verdict == Verdict.PASS ? "1 seen" : "none seen",
                3,
                List.of());
    }
}
