package org.ldrtestbed.scenarios.conformance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.MessageAcknowledgement;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.engine.AdminApi;
import org.ldrtestbed.scenarios.engine.SupplierMode;
import org.ldrtestbed.scenarios.engine.SupplierMode.PullTurn;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Supplier mode for the runs of one {@code conform} session: puts the systems file's systems in their organisations'
 * places, prompts and waits for what a sending system must send, and judges every exchange with a system under test
 * into {@link ConformanceCheck}s (transport, acknowledgement, content, filed, timeliness, downstream).
 */
public final class SupplierSession implements SupplierMode {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration POLL = Duration.ofSeconds(5);

    /**
     * How soon a receiving system must acknowledge a message put in its MESH mailbox: as soon as a FHIR REST receiver
     * must answer (the testbed's delivery timeout), for a system polling as the reference one does.
     */
    static final Duration MESH_ACKNOWLEDGEMENT = Duration.ofSeconds(5);

    private final List<SystemBinding> systems;
    private final FlowCatalogue catalogue;
    private final FhirValidation fhir;
    private final AdtMessages adt = new AdtMessages();
    private final SentDocuments documents;
    private final MllpReceiverChecks mllp;
    private final Duration patience;
    private final List<PromptListener> listeners;
    private final Clock wall;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final StructuredRecordPull pull;

    private final List<ConformanceCheck> checks = new ArrayList<>();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    /** A step in which a sending system was to send a flow's message. */
    private record Sent(String flow, String step, String system) {}

    /**
     * How far behind its cursor a follower reads again: exchanges are numbered as they are inserted but committed by
     * different threads (the MLLP listener, the flows' routes), so one numbered lower may become visible after a
     * higher one was read.
     */
    static final long LOOKBACK = 64;

    /** What a run has shown so far. */
    private static final class Run {
        String journey;
        long cursor;
        /** The exchanges read since the cursor went past them less {@link #LOOKBACK}, not to take one twice. */
        final Set<Long> seen = new java.util.HashSet<>();

        int turns;
        /** Flow → why the system's message that later steps need did not come right. */
        final Map<String, String> failed = new LinkedHashMap<>();
        /** Flow → the only resource types whose assertions it blocks (a flow a failed pull fed in part). */
        final Map<String, Set<String>> failedTypes = new LinkedHashMap<>();
        /** The steps a system under test sent in, per flow. */
        final List<Sent> sent = new ArrayList<>();
    }

    /**
     * @param systems the systems, each reachable (a reference system started, its endpoint filled in)
     * @param patience how long a step waits for a sending system
     */
    public SupplierSession(
            List<SystemBinding> systems,
            FlowCatalogue catalogue,
            FhirValidation fhir,
            Duration patience,
            List<PromptListener> listeners,
            Clock wall) {
        this.systems = List.copyOf(systems);
        this.catalogue = catalogue;
        this.fhir = fhir;
        this.documents = new SentDocuments(fhir);
        this.mllp = new MllpReceiverChecks(fhir);
        this.patience = patience;
        this.listeners = List.copyOf(listeners);
        this.wall = wall;
        this.pull = new StructuredRecordPull(fhir, http, patience, wall);
    }

    @Override
    public List<SystemUnderTest> bindings() {
        return systems.stream().flatMap(s -> s.runBindings().stream()).toList();
    }

    @Override
    public Optional<SystemUnderTest> sender(String flow, String organisation, String role) {
        return systems.stream()
                .filter(s -> s.organisation().equals(organisation) && s.sendsFor(role))
                .flatMap(s -> s.runBindings().stream())
                .filter(b -> b.direction() == SystemUnderTest.Direction.SENDS
                        && b.flow().equals(flow))
                .findFirst();
    }

    /** Every check made so far, in order. */
    public synchronized List<ConformanceCheck> checks() {
        return List.copyOf(checks);
    }

    public List<SystemBinding> systems() {
        return systems;
    }

    @Override
    public ActionResult awaitSent(Turn turn) throws InterruptedException {
        Run run = run(turn.runId());
        String flow = turn.action().flow();
        String system = turn.system().system();
        String controlId = turn.runId() + "-" + (++run.turns);
        Map<String, String> facts;
        try {
            facts = adt.facts(turn.message(), controlId);
        } catch (IllegalArgumentException e) {
            return fail(
                    turn, run, "transport", "the journey's own message cannot be read: " + e.getMessage(), List.of());
        }
        Prompt prompt = new Prompt(
                turn.runId(),
                turn.step().id(),
                system,
                turn.system().organisation(),
                flow,
                promptText(turn, facts, controlId),
                facts,
                turn.message(),
                turn.at(),
                wall.instant().plus(patience));
        String promptPath = "/testbed/runs/" + encode(turn.runId()) + "/prompts/"
                + encode(turn.step().id());
        if (turn.admin() == null) {
            return fail(turn, run, "transport", "the realm has no testbed-admin to publish the prompt with", List.of());
        }
        catchUp(turn.admin(), turn.runId(), run);
        try {
            AdminApi.Answer put = turn.admin().put(promptPath, JSON.writeValueAsString(prompt));
            if (!put.ok()) {
                return fail(
                        turn, run, "transport", "the server does not take prompts (" + put.status() + ")", List.of());
            }
        } catch (IOException e) {
            return fail(turn, run, "transport", "cannot publish the prompt: " + e.getMessage(), List.of());
        }
        listeners.forEach(l -> l.prompted(prompt));
        Optional<SutExchange> arrived;
        try {
            arrived = awaitExchange(turn, run, controlId);
        } catch (IllegalStateException e) {
            return fail(turn, run, "transport", e.getMessage(), List.of());
        } finally {
            try {
                turn.admin().delete(promptPath);
            } catch (IOException e) {
                // The prompt expires with the run.
            }
        }
        if (arrived.isEmpty()) {
            return fail(
                    turn,
                    run,
                    "transport",
                    "nothing arrived from " + system + " within " + patience + " (prompted: " + prompt.text() + ")",
                    List.of());
        }
        SutExchange exchange = arrived.get();
        add(turn, "transport", ConformanceCheck.PASS, "received over MLLP from " + exchange.endpoint(), List.of());
        List<FhirValidation.Issue> issues = new ArrayList<>(adt.check(exchange.request(), turn.nhsNumber()));
        if (!controlId.equals(AdtMessages.controlId(exchange.request()))) {
            issues.add(new FhirValidation.Issue(
                    "warning",
                    "MSH-10",
                    "the message control id is not the prompt's " + controlId
                            + ": matched to the step by system, flow and patient only"));
        }
        String event = facts.get("event");
        String sentEvent = AdtMessages.event(exchange.request());
        if (event != null && !event.equals(sentEvent)) {
            issues.add(new FhirValidation.Issue(
                    "error", "MSH-9-2", "the step asked for ADT^" + event + ", the system sent ADT^" + sentEvent));
        }
        boolean contentFails = issues.stream().anyMatch(FhirValidation.Issue::isError);
        add(
                turn,
                "content",
                contentFails ? ConformanceCheck.FAIL : ConformanceCheck.PASS,
                contentFails
                        ? issues.stream()
                                .filter(FhirValidation.Issue::isError)
                                .map(i -> i.location() + ": " + i.message())
                                .collect(Collectors.joining("; "))
                        : "valid HL7v2 ADT (v2.4) with every field the flow reads",
                issues);
        String ack = ackCode(exchange.response());
        boolean accepted = "AA".equals(ack) || "CA".equals(ack);
        add(
                turn,
                "acknowledgement",
                accepted ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                "the testbed acknowledged " + (ack == null ? "nothing" : ack)
                        + (accepted ? "" : ": " + ackText(exchange.response())),
                List.of());
        run.sent.add(new Sent(flow, turn.step().id(), system));
        if (contentFails || !accepted) {
            String why = contentFails ? "its message was not valid" : "the testbed refused its message (" + ack + ")";
            run.failed.put(flow, system + " in step " + turn.step().id() + ": " + why);
            return new ActionResult(
                    turn.action().title(),
                    Verdict.FAIL,
                    system + " sent " + firstLine(exchange.request()) + ", but " + why);
        }
        return new ActionResult(
                turn.action().title(), Verdict.PASS, system + " sent " + firstLine(exchange.request()) + ": " + ack);
    }

    /**
     * A step's entries that a GP system under test holds: prompts for them (API and console), pulls them ({@link
     * StructuredRecordPull}), files what came as the step's actor and judges it; a pull that did not come right blocks
     * what later steps needed of the flow.
     */
    @Override
    public ActionResult awaitPulled(PullTurn turn) throws InterruptedException {
        Run run = run(turn.runId());
        String flow = turn.system().flow();
        Prompt prompt = pull.prompt(turn, wall.instant().plus(patience));
        String promptPath = "/testbed/runs/" + encode(turn.runId()) + "/prompts/"
                + encode(turn.step().id());
        run.sent.add(new Sent(flow, turn.step().id(), turn.system().system()));
        if (turn.admin() != null) {
            try {
                AdminApi.Answer put = turn.admin().put(promptPath, JSON.writeValueAsString(prompt));
                if (!put.ok()) {
                    return pullFailed(turn, run, "the server does not take prompts (" + put.status() + ")");
                }
            } catch (IOException e) {
                return pullFailed(turn, run, "cannot publish the prompt: " + e.getMessage());
            }
        }
        listeners.forEach(l -> l.prompted(prompt));
        StructuredRecordPull.Outcome outcome;
        try {
            outcome = pull.pull(turn);
        } finally {
            if (turn.admin() != null) {
                try {
                    turn.admin().delete(promptPath);
                } catch (IOException e) {
                    // The prompt expires with the run.
                }
            }
        }
        outcome.findings()
                .forEach(f -> add(
                        turn.journey(),
                        turn.system(),
                        f.check(),
                        turn.step().id(),
                        f.verdict(),
                        f.reason(),
                        f.issues()));
        if (outcome.failed() != null) {
            Set<String> types =
                    turn.expected().stream().map(e -> e.resource().fhirType()).collect(Collectors.toSet());
            run.failed.put(flow, outcome.failed());
            run.failedTypes.remove(flow);
            for (String fed : fedBy(turn, types)) {
                boolean wholly = run.failed.containsKey(fed) && !run.failedTypes.containsKey(fed);
                if (!wholly) {
                    run.failed.putIfAbsent(fed, outcome.failed());
                    run.failedTypes
                            .computeIfAbsent(fed, k -> new java.util.HashSet<>())
                            .addAll(types);
                }
            }
        }
        return outcome.action();
    }

    @Override
    public SentDocument awaitDocument(DocumentTurn turn) throws InterruptedException {
        Run run = run(turn.runId());
        String flow = turn.action().flow();
        SystemUnderTest system = turn.system();
        String step = turn.step().id();
        if (turn.admin() == null) {
            return failedDocument(turn, run, "transport", "the realm has no testbed-admin to publish the prompt with");
        }
        Map<String, String> facts;
        try {
            facts = documents.facts(
                    turn.document(),
                    turn.runId(),
                    turn.nhsNumber(),
                    system,
                    catalogue.flow(flow).map(SharingFlow::meshWorkflow).orElse(null));
        } catch (RuntimeException e) {
            return failedDocument(
                    turn, run, "transport", "the journey's own document cannot be read: " + e.getMessage());
        }
        Prompt prompt = new Prompt(
                turn.runId(),
                step,
                system.system(),
                system.organisation(),
                flow,
                SentDocuments.text(system.system(), system.organisation(), flow, facts, step),
                facts,
                turn.document(),
                turn.at(),
                wall.instant().plus(patience));
        String promptPath = "/testbed/runs/" + encode(turn.runId()) + "/prompts/" + encode(step);
        catchUp(turn.admin(), turn.runId(), run);
        try {
            AdminApi.Answer put = turn.admin().put(promptPath, JSON.writeValueAsString(prompt));
            if (!put.ok()) {
                return failedDocument(
                        turn, run, "transport", "the server does not take prompts (" + put.status() + ")");
            }
        } catch (IOException e) {
            return failedDocument(turn, run, "transport", "cannot publish the prompt: " + e.getMessage());
        }
        listeners.forEach(l -> l.prompted(prompt));
        Optional<SutExchange> arrived;
        try {
            arrived = awaitWrite(turn.admin(), turn.runId(), run, system, flow);
        } catch (IllegalStateException e) {
            return failedDocument(turn, run, "transport", e.getMessage());
        } finally {
            try {
                turn.admin().delete(promptPath);
            } catch (IOException e) {
                // The prompt expires with the run.
            }
        }
        if (arrived.isEmpty()) {
            return failedDocument(
                    turn,
                    run,
                    "transport",
                    "nothing arrived from " + system.system() + " within " + patience + " (prompted: " + prompt.text()
                            + ")");
        }
        SentDocuments.Judgement judged = documents.judge(arrived.get(), flow, turn.nhsNumber());
        judged.checks().forEach(c -> add(turn.journey(), system, c.check(), step, c.verdict(), c.reason(), c.issues()));
        run.sent.add(new Sent(flow, step, system.system()));
        if (judged.failure() != null) {
            run.failed.put(flow, system.system() + " in step " + step + ": " + judged.failure());
            return new SentDocument(
                    new ActionResult(
                            turn.action().title(),
                            Verdict.FAIL,
                            system.system() + " sent its " + flow + " document, but " + judged.failure()),
                    judged.stored());
        }
        return new SentDocument(
                new ActionResult(
                        turn.action().title(),
                        Verdict.PASS,
                        system.system() + " sent its " + flow + " document: filed as " + judged.stored()),
                judged.stored());
    }

    private SentDocument failedDocument(DocumentTurn turn, Run run, String check, String why) {
        add(turn.journey(), turn.system(), check, turn.step().id(), ConformanceCheck.FAIL, why, List.of());
        run.sent.add(
                new Sent(turn.action().flow(), turn.step().id(), turn.system().system()));
        run.failed.put(
                turn.action().flow(),
                turn.system().system() + " in step " + turn.step().id() + ": " + why);
        return new SentDocument(new ActionResult(turn.action().title(), Verdict.FAIL, why), null);
    }

    /** The system's first write of the flow over its transport in the run after the cursor; empty at the deadline. */
    private Optional<SutExchange> awaitWrite(AdminApi admin, String runId, Run run, SystemUnderTest system, String flow)
            throws InterruptedException {
        Instant deadline = wall.instant().plus(patience);
        while (true) {
            Duration left = Duration.between(wall.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Optional.empty();
            }
            Duration wait = left.compareTo(POLL) < 0 ? left : POLL;
            Read read = exchanges(
                    admin, runId, run.cursor, wait.withNanos(0).isZero() ? Duration.ofSeconds(1) : wait.withNanos(0));
            if (read.error() != null) {
                throw new IllegalStateException("cannot follow the run's exchanges: " + read.error());
            }
            for (SutExchange e : read.exchanges()) {
                run.cursor = Math.max(run.cursor, e.sequence());
                if (SutExchange.FROM_SUT.equals(e.direction())
                        && system.transport().equals(e.transport())
                        && system.system().equals(e.system())
                        && flow.equals(e.flow())) {
                    return Optional.of(e);
                }
            }
        }
    }

    /**
     * The other flows that would have carried the entries of a pull that did not come right: those the same entries
     * start from the same care setting (published to the patient, prescribed by EPS…).
     */
    private List<String> fedBy(PullTurn turn, Set<String> types) {
        List<String> settings = catalogue
                .flow(turn.system().flow())
                .map(SharingFlow::sourceSettings)
                .orElse(List.of());
        List<String> flows = new ArrayList<>();
        catalogue.flows().stream()
                .filter(f -> !f.code().equals(turn.system().flow())
                        && f.trigger() != null
                        && f.trigger().resourceTypes() != null
                        && f.trigger().resourceTypes().stream().anyMatch(types::contains)
                        && f.sourceSettings().stream().anyMatch(settings::contains))
                .forEach(f -> flows.add(f.code()));
        return flows;
    }

    private ActionResult pullFailed(PullTurn turn, Run run, String why) {
        add(turn.journey(), turn.system(), "transport", turn.step().id(), ConformanceCheck.FAIL, why, List.of());
        run.failed.put(
                turn.system().flow(),
                turn.system().system() + " in step " + turn.step().id() + ": " + why);
        return new ActionResult(turn.action().title(), Verdict.FAIL, why);
    }

    @Override
    public Optional<AssertionResult> preempt(String stepId, Step.Sees sees) {
        for (SystemUnderTest receiver : bindings()) {
            if (receiver.direction() == SystemUnderTest.Direction.RECEIVES
                    && sees.flows().contains(receiver.flow())) {
                return Optional.of(result(
                        stepId,
                        sees,
                        Verdict.NOT_TESTED,
                        receiver.flow() + " goes to " + receiver.system() + " (a system under test), not the shared"
                                + " record: its conformance checks say whether it filed it"));
            }
        }
        return Optional.empty();
    }

    @Override
    public AssertionResult judged(AssertionResult checked) {
        // An ERROR too: a label the missing message would have filled cannot even be asked for.
        if (checked.verdict() != Verdict.FAIL && checked.verdict() != Verdict.ERROR) {
            return checked;
        }
        // Only the current run's state matters: runs are replayed one after another.
        for (Run run : runs.values()) {
            for (String flow : checked.flows()) {
                String why = run.failed.get(flow);
                Set<String> only = run.failedTypes.get(flow);
                // A flow a failed pull fed only in part blocks only what reads the types that never came.
                if (why != null && (only == null || only.contains(queriedType(checked.query())))) {
                    return new AssertionResult(
                            checked.stepId(),
                            checked.id(),
                            checked.title(),
                            checked.capabilities(),
                            checked.flows(),
                            checked.query(),
                            Verdict.BLOCKED,
                            "may need the " + flow + " message that did not come right (" + why + "); against the"
                                    + " record: " + checked.detail(),
                            checked.millis(),
                            checked.grantedBy());
                }
            }
        }
        return checked;
    }

    @Override
    public void runEnded(JourneyResult result, AdminApi admin) throws InterruptedException {
        Run run = run(result.runId());
        run.journey = result.journeyId();
        java.util.Set<String> judged = new java.util.HashSet<>();
        for (Sent sent : run.sent) {
            timeliness(result, sent.flow(), sent.step(), sent.system());
            // Each later assertion once, however many of the system's messages it may have needed.
            if (judged.add(sent.flow() + "/" + sent.system())) {
                downstream(result, sent.flow(), sent.system(), sent.step());
            }
        }
        Read read = admin == null
                ? new Read(List.of(), "the realm has no testbed-admin to read them with")
                : exchanges(admin, result.runId(), 0, Duration.ZERO);
        List<SutExchange> exchanges = read.exchanges();
        for (SystemBinding system : systems) {
            for (SystemUnderTest b : system.runBindings()) {
                if (b.direction() == SystemUnderTest.Direction.RECEIVES && read.error() != null) {
                    add(
                            result.journeyId(),
                            b,
                            "transport",
                            null,
                            ConformanceCheck.FAIL,
                            "cannot read what the testbed sent it: " + read.error(),
                            List.of());
                } else if (b.direction() == SystemUnderTest.Direction.RECEIVES) {
                    received(result, b, exchanges, admin);
                } else if (run.sent.stream()
                                .noneMatch(s ->
                                        s.flow().equals(b.flow()) && s.system().equals(b.system()))
                        && run.failed.get(b.flow()) == null) {
                    add(
                            result.journeyId(),
                            b,
                            "transport",
                            null,
                            ConformanceCheck.NOT_TESTED,
                            "the journey has no step where " + b.organisation() + " sends " + b.flow(),
                            List.of());
                }
            }
        }
        runs.remove(result.runId());
        pull.forget(result.runId());
    }

    /** What a receiving system did with each message the run's flows sent it. */
    private void received(JourneyResult result, SystemUnderTest b, List<SutExchange> exchanges, AdminApi admin) {
        if (SystemUnderTest.MESH.equals(b.transport())) {
            receivedByMailbox(result, b, exchanges, admin);
            return;
        }
        Map<String, List<SutExchange>> byMessage = exchanges.stream()
                .filter(e -> SutExchange.TO_SUT.equals(e.direction())
                        && b.system().equals(e.system())
                        && b.flow().equals(e.flow()))
                .collect(Collectors.groupingBy(
                        e -> String.valueOf(e.messageId()), LinkedHashMap::new, Collectors.toList()));
        if (byMessage.isEmpty()) {
            add(
                    result.journeyId(),
                    b,
                    "transport",
                    null,
                    ConformanceCheck.NOT_TESTED,
                    "the journey sent " + b.system() + " no " + b.flow() + " message",
                    List.of());
            return;
        }
        byMessage.forEach((messageId, attempts) -> {
            String step = stepOf(result, b.flow(), messageId);
            if (SystemUnderTest.PROCESS_MESSAGE.equals(b.transport())) {
                receivedByMessaging(result, b, step, messageId, attempts);
                return;
            }
            if (SystemUnderTest.MLLP.equals(b.transport())) {
                mllp.judge(
                        attempts,
                        fhirBaseOf(b),
                        uri -> read(b, uri),
                        (check, verdict, reason, issues) ->
                                add(result.journeyId(), b, check, step, verdict, reason, issues));
                timelinessOf(result, b, step, messageId);
                return;
            }
            SutExchange last = attempts.getLast();
            String tries = attempts.stream()
                    .map(e -> e.status() != null ? String.valueOf(e.status()) : "no answer (" + e.error() + ")")
                    .collect(Collectors.joining(", "));
            List<SutExchange> accepted = attempts.stream()
                    .filter(e -> e.status() != null && e.status() / 100 == 2)
                    .toList();
            int firstAccepted = accepted.isEmpty() ? -1 : attempts.indexOf(accepted.getFirst());
            add(
                    result.journeyId(),
                    b,
                    "transport",
                    step,
                    // A receiver answers the first attempt: one needing a redelivery (timeout, 5xx) fails.
                    firstAccepted == 0 ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                    (accepted.isEmpty()
                                    ? "never accepted: "
                                    : firstAccepted > 0 ? "accepted only on attempt " + (firstAccepted + 1) + ": " : "")
                            + attempts.size() + " attempt(s) to " + last.endpoint() + ": " + tries,
                    List.of());
            if (accepted.isEmpty()) {
                add(
                        result.journeyId(),
                        b,
                        "acknowledgement",
                        step,
                        ConformanceCheck.BLOCKED,
                        "no answer to judge",
                        List.of());
                add(result.journeyId(), b, "filed", step, ConformanceCheck.BLOCKED, "nothing was accepted", List.of());
                return;
            }
            SutExchange ok = accepted.getFirst();
            List<FhirValidation.Issue> answerIssues =
                    ok.response() == null || ok.response().isBlank() ? List.of() : fhir.validate(ok.response());
            boolean answerBad = answerIssues.stream().anyMatch(FhirValidation.Issue::isError);
            // A create answers 201 Created, or 200 OK where a conditional create found it filed already.
            boolean created = ok.status() == 201 || ok.status() == 200;
            String ackVerdict =
                    ok.location() == null || answerBad || !created ? ConformanceCheck.FAIL : ConformanceCheck.PASS;
            add(
                    result.journeyId(),
                    b,
                    "acknowledgement",
                    step,
                    ackVerdict,
                    "HTTP " + ok.status()
                            + (created ? "" : " (a create answers 201, or 200 for one already filed)")
                            + (ok.location() == null ? " without a Location" : ", Location " + ok.location())
                            + (answerBad ? "; the answer is not valid FHIR R4" : ""),
                    answerIssues);
            filed(result.journeyId(), b, step, ok, accepted);
            result.timeliness().stream()
                    .filter(t -> messageId.equals(t.messageId()))
                    .forEach(t -> add(
                            result.journeyId(),
                            b,
                            "timeliness",
                            step,
                            timely(t) ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                            t.verdict() + ": " + t.elapsed() + " from " + t.measuredFrom() + " against " + t.rule(),
                            List.of()));
        });
    }

    /**
     * What a receiving system did with each message put in its MESH mailbox: put there (transport), acknowledged within
     * {@link #MESH_ACKNOWLEDGEMENT} (waiting up to the session's patience for acknowledgements not yet kept), filed
     * (found by its {@code Bundle.identifier} at the system's FHIR base, where it has one), and on time.
     */
    private void receivedByMailbox(
            JourneyResult result, SystemUnderTest b, List<SutExchange> exchanges, AdminApi admin) {
        String journey = result.journeyId();
        List<SutExchange> kept = new ArrayList<>(exchanges);
        Map<String, List<SutExchange>> byMessage = kept.stream()
                .filter(e -> SutExchange.TO_SUT.equals(e.direction())
                        && b.system().equals(e.system())
                        && b.flow().equals(e.flow()))
                .collect(Collectors.groupingBy(
                        e -> String.valueOf(e.messageId()), LinkedHashMap::new, Collectors.toList()));
        if (byMessage.isEmpty()) {
            add(
                    journey,
                    b,
                    "transport",
                    null,
                    ConformanceCheck.NOT_TESTED,
                    "the journey sent " + b.system() + " no " + b.flow() + " message",
                    List.of());
            return;
        }
        Set<String> waitingFor = byMessage.values().stream()
                .flatMap(List::stream)
                .filter(e -> e.location() != null)
                .map(SutExchange::location)
                .collect(Collectors.toCollection(java.util.HashSet::new));
        Duration wait = patience.compareTo(MESH_ACKNOWLEDGEMENT) > 0 ? patience : MESH_ACKNOWLEDGEMENT;
        Instant deadline = wall.instant().plus(wait);
        try {
            while (admin != null) {
                kept.stream()
                        .filter(SupplierSession::meshAcknowledgement)
                        .forEach(e -> waitingFor.remove(e.location()));
                Duration left = Duration.between(wall.instant(), deadline);
                if (waitingFor.isEmpty() || left.isNegative() || left.isZero()) {
                    break;
                }
                long after =
                        kept.stream().mapToLong(SutExchange::sequence).max().orElse(0);
                Duration poll = (left.compareTo(POLL) < 0 ? left : POLL).withNanos(0);
                Read more = exchanges(admin, result.runId(), after, poll.isZero() ? Duration.ofSeconds(1) : poll);
                if (more.error() != null) {
                    break; // what was not seen acknowledged is judged so, with the exchanges read until now
                }
                kept.addAll(more.exchanges());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String fhirBase = systems.stream()
                .filter(s -> s.name().equals(b.system()) && s.endpoint() != null)
                .map(s -> s.endpoint().fhirBase())
                .filter(base -> base != null && !base.isBlank())
                .findFirst()
                .orElse(null);
        byMessage.forEach((messageId, attempts) -> {
            String step = stepOf(result, b.flow(), messageId);
            Optional<SutExchange> put = attempts.stream()
                    .filter(e -> e.status() != null && e.status() == 202 && e.location() != null)
                    .findFirst();
            if (put.isEmpty()) {
                add(
                        journey,
                        b,
                        "transport",
                        step,
                        ConformanceCheck.FAIL,
                        "never put in mailbox " + b.endpoint() + ": "
                                + attempts.stream()
                                        .map(e -> String.valueOf(e.error()))
                                        .collect(Collectors.joining(", ")),
                        List.of());
                add(journey, b, "acknowledgement", step, ConformanceCheck.BLOCKED, "nothing to acknowledge", List.of());
                add(journey, b, "filed", step, ConformanceCheck.BLOCKED, "nothing was sent", List.of());
                return;
            }
            SutExchange sent = put.get();
            add(
                    journey,
                    b,
                    "transport",
                    step,
                    ConformanceCheck.PASS,
                    "put in mailbox " + sent.endpoint() + " as MESH message " + sent.location() + " (202)",
                    List.of());
            Optional<SutExchange> acknowledged = kept.stream()
                    .filter(e -> meshAcknowledgement(e) && sent.location().equals(e.location()))
                    .findFirst();
            // On the server's own clock: the run's jumps to the next step while the system polls.
            Duration after = acknowledged
                    .map(a -> sent.recordedAt() != null && a.recordedAt() != null
                            ? Duration.between(sent.recordedAt(), a.recordedAt())
                            : Duration.between(sent.at(), a.at()))
                    .orElse(null);
            add(
                    journey,
                    b,
                    "acknowledgement",
                    step,
                    after != null && after.compareTo(MESH_ACKNOWLEDGEMENT) <= 0
                            ? ConformanceCheck.PASS
                            : ConformanceCheck.FAIL,
                    after == null
                            ? "never acknowledged (waited " + wait + ")"
                            : "acknowledged after " + after
                                    + (after.compareTo(MESH_ACKNOWLEDGEMENT) <= 0
                                            ? ""
                                            : ", later than " + MESH_ACKNOWLEDGEMENT),
                    List.of());
            if (fhirBase == null) {
                add(
                        journey,
                        b,
                        "filed",
                        step,
                        ConformanceCheck.NOT_TESTED,
                        b.system() + " has no FHIR base (endpoint.fhir-base) to find what it filed at",
                        List.of());
            } else {
                filedByIdentifier(journey, b, step, sent, fhirBase);
            }
            result.timeliness().stream()
                    .filter(t -> messageId.equals(t.messageId()))
                    .forEach(t -> add(
                            journey,
                            b,
                            "timeliness",
                            step,
                            "MET".equals(t.verdict()) ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                            t.verdict() + ": " + t.elapsed() + " from " + t.measuredFrom() + " against " + t.rule(),
                            List.of()));
        });
    }

    /** Finds what a system filed of a document sent over MESH by the document's identifier: one copy, the same. */
    private void filedByIdentifier(String journey, SystemUnderTest b, String step, SutExchange sent, String fhirBase) {
        String search = null;
        try {
            Bundle document = fhir.fhirContext().newJsonParser().parseResource(Bundle.class, sent.request());
            search = fhirBase.replaceAll("/$", "") + "/Bundle?identifier="
                    + encode(document.getIdentifier().getSystem() + "|"
                            + document.getIdentifier().getValue());
            URI asked = URI.create(search);
            HttpResponse<String> answer = read(b, asked);
            if (answer.statusCode() != 200) {
                add(
                        journey,
                        b,
                        "filed",
                        step,
                        ConformanceCheck.FAIL,
                        "GET " + search + " answered " + answer.statusCode(),
                        List.of());
                return;
            }
            List<Bundle> copies =
                    fhir.fhirContext().newJsonParser().parseResource(Bundle.class, answer.body()).getEntry().stream()
                            .map(Bundle.BundleEntryComponent::getResource)
                            .filter(Bundle.class::isInstance)
                            .map(Bundle.class::cast)
                            .toList();
            if (copies.size() != 1) {
                add(
                        journey,
                        b,
                        "filed",
                        step,
                        ConformanceCheck.FAIL,
                        copies.isEmpty()
                                ? "not filed: " + search + " found nothing"
                                : "filed " + copies.size() + " times (" + search + ")",
                        List.of());
                return;
            }
            Bundle stored = copies.getFirst();
            List<FhirValidation.Issue> issues =
                    fhir.validate(fhir.fhirContext().newJsonParser().encodeResourceToString(stored));
            String sentNhs = nhsNumber(document);
            String storedNhs = nhsNumber(stored);
            String problem = !java.util.Objects.equals(sentNhs, storedNhs)
                    ? "wrong patient: filed for NHS number " + storedNhs + ", sent for " + sentNhs
                    : stored.getEntry().size() != document.getEntry().size()
                            ? "it holds " + stored.getEntry().size() + " entries of the "
                                    + document.getEntry().size() + " sent"
                            : null;
            boolean invalid = issues.stream().anyMatch(FhirValidation.Issue::isError);
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    problem == null && !invalid ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                    problem != null
                            ? problem
                            : invalid
                                    ? "what it holds is not valid FHIR R4"
                                    : "found by " + search + ": the same document, for the same patient, filed once",
                    issues);
        } catch (IOException | RuntimeException e) {
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    ConformanceCheck.FAIL,
                    "cannot find what it filed (" + search + "): " + e.getMessage(),
                    List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the system answers a search of Bundles by identifier (200), so "filed once" can be seen. */
    private boolean searchable(SystemUnderTest b, SutExchange sent) {
        try {
            Bundle document = fhir.fhirContext().newJsonParser().parseResource(Bundle.class, sent.request());
            if (!document.hasIdentifier()) {
                return false;
            }
            String search = b.endpoint().replaceAll("/$", "") + "/Bundle?identifier="
                    + encode(document.getIdentifier().getSystem() + "|"
                            + document.getIdentifier().getValue());
            URI asked = URI.create(search);
            return read(b, asked).statusCode() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The FHIR base a system's binding names beside its other endpoints, where what it filed is read; or null. */
    private String fhirBaseOf(SystemUnderTest b) {
        return systems.stream()
                .filter(s -> s.name().equals(b.system()) && s.endpoint() != null)
                .map(s -> s.endpoint().fhirBase())
                .filter(base -> base != null && !base.isBlank())
                .findFirst()
                .orElse(null);
    }

    /** A GET at a system under test's FHIR base, as the testbed reads what a system filed (its credential sent). */
    private HttpResponse<String> read(SystemUnderTest b, URI uri) throws IOException, InterruptedException {
        HttpRequest.Builder get =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Accept", "application/fhir+json");
        if (b.authorization() != null) {
            get.header("Authorization", b.authorization());
        }
        return http.send(get.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean meshAcknowledgement(SutExchange e) {
        return SutExchange.FROM_SUT.equals(e.direction())
                && SystemUnderTest.MESH.equals(e.transport())
                && e.location() != null;
    }

    /**
     * What a receiving system did with one message sent by FHIR messaging ({@code $process-message}): transport (the
     * first attempt answered 2xx within the timeout), acknowledgement (the answer that ended the delivery is a
     * response message Bundle, valid R4, whose MessageHeader.response names the request's MessageHeader id with {@code
     * ok}), filed (the message read back by its Bundle.identifier, once, for the same patient), timeliness.
     */
    private void receivedByMessaging(
            JourneyResult result, SystemUnderTest b, String step, String messageId, List<SutExchange> attempts) {
        String journey = result.journeyId();
        SutExchange first = attempts.getFirst();
        String tries = attempts.stream()
                .map(e -> e.status() != null ? String.valueOf(e.status()) : "no answer (" + e.error() + ")")
                .collect(Collectors.joining(", "));
        boolean firstAnswered = first.status() != null && first.status() / 100 == 2;
        add(
                journey,
                b,
                "transport",
                step,
                firstAnswered ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                (firstAnswered ? "" : "the first attempt was not answered 2xx in time: ") + attempts.size()
                        + " attempt(s) to " + first.endpoint() + ": " + tries,
                List.of());
        List<SutExchange> answered = attempts.stream()
                .filter(e -> e.status() != null && e.status() / 100 == 2)
                .toList();
        if (answered.isEmpty()) {
            add(journey, b, "acknowledgement", step, ConformanceCheck.BLOCKED, "no answer to judge", List.of());
            add(journey, b, "filed", step, ConformanceCheck.BLOCKED, "nothing was accepted", List.of());
            timelinessOf(result, b, step, messageId);
            return;
        }
        // The answer that ended the delivery: a transient-error before it asked for a redelivery, as it may.
        SutExchange last = answered.getLast();
        String headerId = MessageAcknowledgement.requestHeaderId(fhir.fhirContext(), last.request())
                .orElse(null);
        MessageAcknowledgement.Result read = MessageAcknowledgement.read(fhir.fhirContext(), last.response());
        List<FhirValidation.Issue> issues =
                last.response() == null || last.response().isBlank()
                        ? List.of()
                        : fhir.validate(last.response(), IgPackages.MESSAGE_ACKNOWLEDGEMENT);
        boolean invalid = issues.stream().anyMatch(FhirValidation.Issue::isError);
        MessageAcknowledgement ack = read.acknowledgement();
        String problem = ack == null
                ? read.problem()
                : !ack.requestHeaderId().equals(headerId)
                        ? "the response names MessageHeader " + ack.requestHeaderId() + ", not the request's "
                                + headerId
                        : !MessageAcknowledgement.OK.equals(ack.code())
                                ? "response.code is " + ack.code()
                                : invalid
                                        ? "the acknowledgement is not valid (base R4, "
                                                + IgPackages.MESSAGE_ACKNOWLEDGEMENT + ")"
                                        : null;
        add(
                journey,
                b,
                "acknowledgement",
                step,
                problem == null ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                "HTTP " + last.status() + ": "
                        + (problem == null ? "response message ok for MessageHeader " + headerId : problem),
                issues);
        if (ack == null || !MessageAcknowledgement.OK.equals(ack.code())) {
            add(journey, b, "filed", step, ConformanceCheck.BLOCKED, "the message was not acknowledged ok", List.of());
        } else {
            filedByMessaging(journey, b, step, last);
        }
        timelinessOf(result, b, step, messageId);
    }

    /** Reads back the message a receiving system acknowledged, by its Bundle.identifier: once, for the same patient. */
    private void filedByMessaging(String journey, SystemUnderTest b, String step, SutExchange ok) {
        Bundle sent = parser().parseResource(Bundle.class, ok.request());
        String identifier = sent.getIdentifier().hasSystem()
                ? sent.getIdentifier().getSystem() + "|" + sent.getIdentifier().getValue()
                : sent.getIdentifier().getValue();
        URI query = URI.create(b.endpoint().replaceAll("/$", "") + "/Bundle?identifier=" + encode(identifier));
        try {
            URI asked = query;
            HttpResponse<String> answer = read(b, asked);
            if (answer.statusCode() != 200) {
                add(
                        journey,
                        b,
                        "filed",
                        step,
                        ConformanceCheck.FAIL,
                        "GET " + query + " answered " + answer.statusCode(),
                        List.of());
                return;
            }
            List<Bundle> held = parser().parseResource(Bundle.class, answer.body()).getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(Bundle.class::isInstance)
                    .map(Bundle.class::cast)
                    .toList();
            String sentNhs = referralNhsNumber(sent);
            String heldNhs = held.size() == 1 ? referralNhsNumber(held.getFirst()) : null;
            String problem = held.isEmpty()
                    ? "it holds no message " + identifier
                    : held.size() > 1
                            ? "it holds message " + identifier + " " + held.size()
                                    + " times (a redelivery was not recognised)"
                            : !java.util.Objects.equals(sentNhs, heldNhs)
                                    ? "wrong patient: kept for NHS number " + heldNhs + ", sent for " + sentNhs
                                    : null;
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    problem == null ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                    problem == null
                            ? "read back from " + query + ": the same message, for the same patient, kept once"
                            : problem,
                    List.of());
        } catch (IOException | RuntimeException e) {
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    ConformanceCheck.FAIL,
                    "cannot read back " + query + ": " + e.getMessage(),
                    List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A message's ids as it gives them, not replaced by its entries' full URLs. */
    private ca.uhn.fhir.parser.IParser parser() {
        return fhir.fhirContext().newJsonParser().setOverrideResourceIdWithBundleEntryFullUrl(false);
    }

    /** The NHS number of the patient a message's ServiceRequest names. */
    private static String referralNhsNumber(Bundle message) {
        return message.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof ServiceRequest)
                .map(r -> ((ServiceRequest) r).getSubject().getIdentifier())
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                .map(i -> i.getValue())
                .findFirst()
                .orElse(null);
    }

    /** The message's delivery against its flow's timeliness rule, as the run measured it. */
    private void timelinessOf(JourneyResult result, SystemUnderTest b, String step, String messageId) {
        result.timeliness().stream()
                .filter(t -> messageId.equals(t.messageId()))
                .forEach(t -> add(
                        result.journeyId(),
                        b,
                        "timeliness",
                        step,
                        timely(t) ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                        t.verdict() + ": " + t.elapsed() + " from " + t.measuredFrom() + " against " + t.rule(),
                        List.of()));
    }

    /** Reads back what a receiving system says it filed: the same document, for the same patient, once. */
    private void filed(String journey, SystemUnderTest b, String step, SutExchange ok, List<SutExchange> accepted) {
        long locations = accepted.stream()
                .map(SutExchange::location)
                .filter(l -> l != null)
                .map(SupplierSession::versionless)
                .distinct()
                .count();
        if (locations > 1) {
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    ConformanceCheck.FAIL,
                    "filed " + locations + " times (a redelivery was not recognised as the same message)",
                    List.of());
            return;
        }
        // A system that can be searched by the document's identifier shows it holds one copy, however many times it
        // was sent; one that cannot is read back at the Location it answered.
        if (searchable(b, ok)) {
            filedByIdentifier(journey, b, step, ok, b.endpoint());
            return;
        }
        if (ok.location() == null) {
            add(journey, b, "filed", step, ConformanceCheck.FAIL, "no Location to read it back from", List.of());
            return;
        }
        // An absolute Location as HAPI answers it, or one relative to the FHIR base.
        URI base = URI.create(b.endpoint().replaceAll("/$", "") + "/");
        URI location = base.resolve(ok.location());
        if (!sameOrigin(base, location)) {
            // The binding's credential goes to the system's own base only.
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    ConformanceCheck.FAIL,
                    "the Location " + location + " is not at the system's FHIR base " + b.endpoint() + ": not read",
                    List.of());
            return;
        }
        try {
            URI asked = location;
            HttpResponse<String> answer = read(b, asked);
            if (answer.statusCode() != 200) {
                add(
                        journey,
                        b,
                        "filed",
                        step,
                        ConformanceCheck.FAIL,
                        "GET " + location + " answered " + answer.statusCode(),
                        List.of());
                return;
            }
            List<FhirValidation.Issue> issues = fhir.validate(answer.body());
            Bundle sent = fhir.fhirContext().newJsonParser().parseResource(Bundle.class, ok.request());
            Bundle stored = fhir.fhirContext().newJsonParser().parseResource(Bundle.class, answer.body());
            String sentNhs = nhsNumber(sent);
            String storedNhs = nhsNumber(stored);
            String problem = !sent.getIdentifier()
                            .getValue()
                            .equals(stored.getIdentifier().getValue())
                    ? "it holds document " + stored.getIdentifier().getValue() + ", sent "
                            + sent.getIdentifier().getValue()
                    : !java.util.Objects.equals(sentNhs, storedNhs)
                            ? "wrong patient: filed for NHS number " + storedNhs + ", sent for " + sentNhs
                            : stored.getEntry().size() != sent.getEntry().size()
                                    ? "it holds " + stored.getEntry().size() + " entries of the "
                                            + sent.getEntry().size() + " sent"
                                    : null;
            boolean invalid = issues.stream().anyMatch(FhirValidation.Issue::isError);
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    problem == null && !invalid ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                    problem != null
                            ? problem
                            : invalid
                                    ? "what it holds is not valid FHIR R4"
                                    : "read back from " + location
                                            + ": the same document, for the same patient, filed once",
                    issues);
        } catch (IOException | RuntimeException e) {
            add(
                    journey,
                    b,
                    "filed",
                    step,
                    ConformanceCheck.FAIL,
                    "cannot read back " + location + ": " + e.getMessage(),
                    List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void timeliness(JourneyResult result, String flow, String step, String system) {
        SystemUnderTest b = binding(system, flow);
        List<JourneyResult.Timeliness> measured = result.timeliness().stream()
                .filter(t -> t.flow().equals(flow) && t.stepId().equals(step))
                .toList();
        String failed =
                runs.containsKey(result.runId()) ? run(result.runId()).failed.get(flow) : null;
        if (measured.isEmpty() && failed != null) {
            add(
                    result.journeyId(),
                    b,
                    "timeliness",
                    step,
                    ConformanceCheck.BLOCKED,
                    "nothing to time: " + failed,
                    List.of());
            return;
        }
        if (measured.isEmpty()) {
            add(
                    result.journeyId(),
                    b,
                    "timeliness",
                    step,
                    ConformanceCheck.NOT_TESTED,
                    "no delivery of the message to time",
                    List.of());
            return;
        }
        boolean receivedByASystem = bindings().stream()
                .anyMatch(r -> r.direction() == SystemUnderTest.Direction.RECEIVES
                        && r.flow().equals(flow));
        for (JourneyResult.Timeliness t : measured) {
            if (t.elapsed() == null && receivedByASystem) {
                // The sender's part ended when the testbed took its message; delivery is the receiving system's.
                add(
                        result.journeyId(),
                        b,
                        "timeliness",
                        step,
                        ConformanceCheck.NOT_TESTED,
                        "not delivered: its recipient is a system under test too, whose own checks say why",
                        List.of());
                continue;
            }
            add(
                    result.journeyId(),
                    b,
                    "timeliness",
                    step,
                    timely(t) ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                    t.verdict() + ": "
                            + (t.elapsed() == null ? "not delivered" : t.elapsed() + " from " + t.measuredFrom())
                            + " against " + t.rule(),
                    List.of());
        }
    }

    /** What each professional who needed the system's message could then see. */
    /** The assertions of the flow after the first step the system sent in: what its messages could have shown. */
    private void downstream(JourneyResult result, String flow, String system, String firstSent) {
        SystemUnderTest b = binding(system, flow);
        boolean after = false;
        List<AssertionResult> later = new ArrayList<>();
        for (JourneyResult.StepResult step : result.steps()) {
            if (after) {
                step.assertions().stream().filter(a -> a.flows().contains(flow)).forEach(later::add);
            }
            after |= step.id().equals(firstSent);
        }
        later.forEach(a -> add(
                result.journeyId(),
                b,
                "downstream",
                a.stepId(),
                switch (a.verdict()) {
                    case PASS -> ConformanceCheck.PASS;
                    case BLOCKED -> ConformanceCheck.BLOCKED;
                    case NOT_TESTED, NOT_COVERED -> ConformanceCheck.NOT_TESTED;
                    default -> ConformanceCheck.FAIL;
                },
                a.title() + (a.verdict() == Verdict.PASS ? "" : " — " + a.detail()),
                List.of()));
    }

    /** Exchanges read from the server, or why they could not be. */
    private record Read(List<SutExchange> exchanges, String error) {}

    /**
     * The system's message for this turn: the one whose MSH-10 is the prompt's control id, else (a system that does
     * not echo it) one of this system, flow and patient; empty at the deadline.
     *
     * @throws IllegalStateException when the run's exchanges cannot be followed (the step fails with why)
     */
    private Optional<SutExchange> awaitExchange(Turn turn, Run run, String controlId) throws InterruptedException {
        Instant deadline = wall.instant().plus(patience);
        List<SutExchange> candidates = new ArrayList<>();
        while (true) {
            Duration left = Duration.between(wall.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return candidates.stream().findFirst();
            }
            Duration wait = left.compareTo(POLL) < 0 ? left : POLL;
            // Behind the cursor at once (one committed late), else a long poll for what comes next.
            Read read = exchanges(turn.admin(), turn.runId(), Math.max(0, run.cursor - LOOKBACK), Duration.ZERO);
            if (read.error() == null && read.exchanges().stream().allMatch(e -> run.seen.contains(e.sequence()))) {
                read = exchanges(
                        turn.admin(),
                        turn.runId(),
                        run.cursor,
                        wait.withNanos(0).isZero() ? Duration.ofSeconds(1) : wait.withNanos(0));
            }
            if (read.error() != null) {
                throw new IllegalStateException("cannot follow the run's exchanges: " + read.error());
            }
            for (SutExchange e : read.exchanges()) {
                run.cursor = Math.max(run.cursor, e.sequence());
                if (!run.seen.add(e.sequence())) {
                    continue;
                }
                if (!SutExchange.FROM_SUT.equals(e.direction()) || e.request() == null) {
                    continue;
                }
                if (controlId.equals(AdtMessages.controlId(e.request()))) {
                    return Optional.of(e);
                }
                if (turn.system().system().equals(e.system())
                        && turn.action().flow().equals(e.flow())
                        && turn.nhsNumber().equals(e.nhsNumber())) {
                    candidates.add(e);
                }
            }
            if (!candidates.isEmpty()) {
                // No exact match came with it: the system's own message for the patient stands in, with a warning.
                return Optional.of(candidates.getFirst());
            }
        }
    }

    /**
     * Moves the run's cursor past what arrived before a prompt: that (the testbed's own messages of the flow, for roles
     * the system does not send for; an earlier write) is not the system's answer to it.
     */
    private void catchUp(AdminApi admin, String runId, Run run) throws InterruptedException {
        Read before = exchanges(admin, runId, Math.max(0, run.cursor - LOOKBACK), Duration.ZERO);
        if (before.error() == null) {
            before.exchanges().forEach(e -> {
                run.seen.add(e.sequence());
                run.cursor = Math.max(run.cursor, e.sequence());
            });
        }
    }

    /** The run's exchanges after {@code after} (every page at once when {@code wait} is zero). */
    private Read exchanges(AdminApi admin, String runId, long after, Duration wait) throws InterruptedException {
        List<SutExchange> all = new ArrayList<>();
        long cursor = after;
        while (true) {
            List<SutExchange> page;
            try {
                AdminApi.Answer answer = admin.get(
                        "/testbed/runs/" + encode(runId) + "/exchanges?after=" + cursor + "&wait=" + wait,
                        wait.plusSeconds(30));
                if (!answer.ok()) {
                    return new Read(all, "GET /testbed/runs/" + runId + "/exchanges answered " + answer.status());
                }
                page = JSON.readValue(answer.body(), new TypeReference<List<SutExchange>>() {});
            } catch (IOException e) {
                return new Read(all, e.toString());
            }
            long from = cursor;
            List<SutExchange> fresh =
                    page.stream().filter(e -> e.sequence() > from).toList();
            all.addAll(fresh);
            // One long poll at a time; else page on until a page brings nothing new.
            if (fresh.isEmpty() || !wait.isZero()) {
                return new Read(all, null);
            }
            cursor = fresh.stream().mapToLong(SutExchange::sequence).max().orElse(cursor);
        }
    }

    private ActionResult fail(Turn turn, Run run, String check, String why, List<FhirValidation.Issue> issues) {
        add(turn, check, ConformanceCheck.FAIL, why, issues);
        // What later steps needed of it is judged too (blocked), as for a message that came wrong.
        run.sent.add(
                new Sent(turn.action().flow(), turn.step().id(), turn.system().system()));
        run.failed.put(
                turn.action().flow(),
                turn.system().system() + " in step " + turn.step().id() + ": " + why);
        return new ActionResult(turn.action().title(), Verdict.FAIL, why);
    }

    private void add(Turn turn, String check, String verdict, String reason, List<FhirValidation.Issue> issues) {
        add(turn.journey(), turn.system(), check, turn.step().id(), verdict, reason, issues);
    }

    private synchronized void add(
            String journey,
            SystemUnderTest b,
            String check,
            String step,
            String verdict,
            String reason,
            List<FhirValidation.Issue> issues) {
        checks.add(new ConformanceCheck(
                b.system(), journey, capability(b.flow()), b.flow(), check, step, verdict, reason, issues));
    }

    private String capability(String flow) {
        return catalogue.flow(flow).map(SharingFlow::capability).orElse("?");
    }

    private SystemUnderTest binding(String system, String flow) {
        return bindings().stream()
                .filter(b -> b.system().equals(system) && b.flow().equals(flow))
                .findFirst()
                .orElseThrow();
    }

    private Run run(String runId) {
        return runs.computeIfAbsent(runId, r -> new Run());
    }

    /** The step whose write started a message, from the run's timeliness (which names both), or null. */
    private static String stepOf(JourneyResult result, String flow, String messageId) {
        return result.timeliness().stream()
                .filter(t -> t.flow().equals(flow) && messageId.equals(t.messageId()))
                .map(JourneyResult.Timeliness::stepId)
                .findFirst()
                .orElse(null);
    }

    /**
     * MET, and not before the event it counts from: a delivery "before" its event means the event time (EVN-2, which a
     * sending system writes itself) is not the journey's, and the rule measured nothing.
     */
    private static boolean timely(JourneyResult.Timeliness t) {
        return "MET".equals(t.verdict()) && t.elapsed() != null && !t.elapsed().isNegative();
    }

    /** The resource type a query reads ({@code MedicationStatement?patient=…} → MedicationStatement). */
    private static String queriedType(String query) {
        return query == null ? "" : query.split("[?/]", 2)[0];
    }

    private static AssertionResult result(String stepId, Step.Sees sees, Verdict verdict, String detail) {
        return new AssertionResult(
                stepId, sees.id(), sees.title(), sees.capabilities(), sees.flows(), sees.query(), verdict, detail, 0);
    }

    private static String promptText(Turn turn, Map<String, String> facts, String controlId) {
        return turn.system().system() + " (in " + turn.system().organisation() + "'s place): send HL7v2 ADT^"
                + facts.getOrDefault("event", "?") + " over MLLP now, for NHS number " + turn.nhsNumber()
                + Optional.ofNullable(facts.get("ward")).map(w -> ", ward " + w).orElse("")
                + Optional.ofNullable(facts.get("visit-number"))
                        .map(v -> ", visit " + v)
                        .orElse("")
                + ", event time " + facts.getOrDefault("event-time", "?") + "; MSH-10 must be " + controlId
                + " (step " + turn.step().id() + ")";
    }

    private static String nhsNumber(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof Patient)
                .flatMap(r -> ((Patient) r).getIdentifier().stream())
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                .map(i -> i.getValue())
                .findFirst()
                .orElse(null);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return java.util.Objects.equals(a.getScheme(), b.getScheme())
                && java.util.Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    private static String versionless(String location) {
        return location.replaceFirst("/_history/.*$", "");
    }

    static String ackCode(String ack) {
        return segmentField(ack, "MSA", 1);
    }

    static String ackText(String ack) {
        String text = segmentField(ack, "MSA", 3);
        String err = segmentField(ack, "ERR", 1);
        return text != null ? text : err != null ? err : "(no reason given)";
    }

    private static String segmentField(String er7, String segment, int field) {
        if (er7 == null) {
            return null;
        }
        for (String line : er7.split("[\r\n]+")) {
            if (line.startsWith(segment + "|")) {
                String[] fields = line.split("\\|", -1);
                return fields.length > field && !fields[field].isBlank() ? fields[field] : null;
            }
        }
        return null;
    }

    private static String firstLine(String er7) {
        return er7.split("[\r\n]+")[0];
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The flows whose messages failed in a run, for tests. */
    Set<String> failedFlows(String runId) {
        return run(runId).failed.keySet();
    }
}
