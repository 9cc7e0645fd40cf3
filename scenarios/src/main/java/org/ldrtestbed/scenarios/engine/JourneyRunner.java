package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.Roles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.deployment.UnmetNeeds;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.journey.Step.Action;
import org.ldrtestbed.scenarios.journey.Step.Sees;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Replays a journey against a FHIR server: for each step, in order, logs in as the step's actor, checks what they
 * see, then does what they do, on a simulated clock. Knows nothing of any particular journey, patient or
 * organisation: all of that is in the journey file and the directory.
 */
public final class JourneyRunner {

    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final FhirContext fhirContext;
    private final TestbedConnection connection;
    private final ActorDirectory actors;
    private final RealmDefinition realm;
    private final Set<String> serverDisabledFlows;
    private final RunSettings settings;
    private final Clock clock;
    private final FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private StepProgress progress = StepProgress.NONE;
    private ReplayTimer timer = ReplayTimer.NONE;
    private SupplierMode supplierMode = SupplierMode.NONE;
    /** The longest a supplier-mode run waits, at its end, for its messages to be delivered or dead-lettered. */
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** One client for every run's admin calls (switches, people, message log): no new pool and thread per call. */
    private final java.net.http.HttpClient adminHttp = java.net.http.HttpClient.newHttpClient();
    /**
     * Realm users' tokens, kept for their lifetime across runs (an ablation or a benchmark replays many); a journey
     * that brings its own people gets a client of its own per run, since their claims follow that run's patient.
     */
    private final TokenClient realmTokens;

    /**
     * @param disabledFlows flows the server under test has switched off, recorded in the result
     */
    public JourneyRunner(
            FhirContext fhirContext, TestbedConnection connection, RealmDefinition realm, Set<String> disabledFlows) {
        this(fhirContext, connection, realm, disabledFlows, RunSettings.FULL);
    }

    /**
     * @param serverDisabledFlows flows the server under test has switched off for everyone, recorded in the result
     * @param settings the run's own switches (flows off, a deployment profile): registered with the server for this
     *     run alone, so other runs on the same server are not affected
     */
    public JourneyRunner(
            FhirContext fhirContext,
            TestbedConnection connection,
            RealmDefinition realm,
            Set<String> serverDisabledFlows,
            RunSettings settings) {
        this(fhirContext, connection, realm, serverDisabledFlows, settings, Clock.systemUTC());
    }

    /**
     * @param clock the wall clock the run is timed with; the journey's own clock moves on with it within a step
     */
    public JourneyRunner(
            FhirContext fhirContext,
            TestbedConnection connection,
            RealmDefinition realm,
            Set<String> serverDisabledFlows,
            RunSettings settings,
            Clock clock) {
        this.clock = clock;
        this.fhirContext = fhirContext;
        this.connection = connection;
        this.realm = realm;
        this.actors = new ActorDirectory(realm);
        this.serverDisabledFlows = Set.copyOf(serverDisabledFlows);
        this.settings = settings;
        this.realmTokens = tokenClient();
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhirContext.getRestfulClientFactory().setSocketTimeout(60_000);
    }

    /** Told after each step of every later replay. */
    public JourneyRunner withProgress(StepProgress progress) {
        this.progress = progress;
        return this;
    }

    /** Told where the time of every later replay goes (a benchmark's). */
    public JourneyRunner withTimer(ReplayTimer timer) {
        this.timer = timer;
        return this;
    }

    /** Every later replay puts these systems under test in their organisations' places. */
    public JourneyRunner withSupplierMode(SupplierMode supplierMode) {
        this.supplierMode = supplierMode;
        return this;
    }

    /** Replays the journey; the result carries what the journey says it does not cover. */
    public JourneyResult run(Journey journey) throws InterruptedException {
        Instant started = clock.instant();
        String runId = journey.id() + "-" + RUN_ID_TIME.format(started) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
        TokenClient tokens = journey.people().isEmpty() ? realmTokens : tokenClient();
        Map<String, ActorSession> sessions = new ConcurrentHashMap<>();
        // Every request of the run carries the journey's clock: the server stamps what it causes on that time.
        JourneyClock journeyClock = new JourneyClock(clock, journey.start());
        List<String> notes = new ArrayList<>();

        // The journey's own people log in for this run only: registered before anyone logs in, removed at its end.
        RunRegistration peopleRegistration = journey.people().isEmpty() ? null : peopleRegistration(tokens);
        ActorDirectory actors = this.actors;
        if (peopleRegistration != null) {
            peopleRegistration.registerPeople(runId, journey.people());
            actors = new ActorDirectory(realm.withUsers(journey.people().users()));
        }
        ActorSession first =
                session(journey.steps().getFirst(), journey, sessions, tokens, runId, actors, journeyClock);
        first.logIn();
        String nhsNumber = unusedNhsNumber(journey.subject().nhsNumber(), first, notes);
        if (peopleRegistration != null && !nhsNumber.equals(journey.subject().nhsNumber())) {
            // A rerun follows a fresh NHS number: the patient's login (and the proxies') follow it too.
            peopleRegistration.registerPeople(runId, journey.people().following(nhsNumber));
            actors = new ActorDirectory(
                    realm.withUsers(journey.people().following(nhsNumber).users()));
        }
        Bindings bindings = new Bindings(
                journey.subject().label(), nhsNumber, runId, (kind, code) -> findInDirectory(first, kind, code));
        bindings.journeyStart(journey.start());
        if (!nhsNumber.equals(journey.subject().nhsNumber())) {
            bindings.standsInFor(journey.subject().nhsNumber());
        }
        RunRegistration registration = registration(tokens);
        Set<String> disabledFlows = new java.util.LinkedHashSet<>(serverDisabledFlows);
        disabledFlows.addAll(settings.disabledFlows());
        if (registration != null) {
            // Before the first write: the server applies these switches to this run's requests and patient only.
            try {
                registration.register(runId, settings, nhsNumber, catalogue, supplierMode.bindings());
                disabledFlows.addAll(registration.serverWideDisabled());
            } catch (IllegalStateException e) {
                if (!settings.equals(RunSettings.FULL)
                        || !supplierMode.bindings().isEmpty()) {
                    throw e;
                }
                notes.add("The run's switches were not registered (" + e.getMessage() + "); it names none anyway.");
                registration = null;
            }
        } else if (!settings.equals(RunSettings.FULL)
                || !supplierMode.bindings().isEmpty()) {
            throw new IllegalStateException("this run's switches cannot be applied: the realm has no testbed-admin"
                    + " user to register them with the server");
        }
        Templates templates = new Templates(bindings);
        WriteExecutor writes = new WriteExecutor(fhirContext, templates, bindings);
        SendDocumentExecutor documents = new SendDocumentExecutor(fhirContext, templates, bindings);
        SendHl7v2Executor hl7v2 = new SendHl7v2Executor(templates, connection.mllp());
        ChangeExecutor changes = new ChangeExecutor(fhirContext, templates, bindings);
        PulledWrites pulls = new PulledWrites(fhirContext, templates, bindings, writes, catalogue, supplierMode);
        SeesChecker sees = new SeesChecker(fhirContext, templates, bindings);
        // The run's flow messages, followed on the server's message log: what assertions of a flow wait on.
        RunMessages messages = admin() == null ? null : new RunMessages(messageLog(tokens), runId);

        // However the run ends, the server forgets its switches, bindings and people (a run left registered would
        // keep its systems under test bound and its patient's HL7v2 messages).
        try {
            List<StepResult> results = new ArrayList<>();
            List<TimelinessMeter.StepWindow> windows = new ArrayList<>();
            RunRegistration clockTeller = registration(tokens);
            for (Step step : journey.steps()) {
                Instant now = journey.start().plus(step.at());
                journeyClock.begin(now);
                ActorSession session;
                try {
                    session = session(step, journey, sessions, tokens, runId, actors, journeyClock);
                } catch (RuntimeException e) {
                    results.add(failedStep(step, now, e.getMessage()));
                    progress.stepDone(results.size(), journey.steps().size(), results.getLast());
                    continue;
                }
                Templates.Scope scope = new Templates.Scope(now, actorEntries(session.user(), bindings), Map.of());
                session.breakGlass(step.breakGlass());
                List<AssertionResult> assertions = new ArrayList<>();
                for (Sees s : step.sees()) {
                    long t0 = System.nanoTime();
                    Verdict verdict;
                    String detail;
                    String query = s.query();
                    session.takeCareRelationships(); // what the step's earlier requests were granted by is theirs
                    var preempted = supplierMode.preempt(step.id(), s);
                    if (preempted.isPresent()) {
                        assertions.add(preempted.get());
                        continue;
                    }
                    try {
                        // A flow still in flight is waited for; a switched-off one brings nothing, and an assertion
                        // waiting on it is judged once every message the run has sent is delivered (or dead-lettered):
                        // what is missing then is missing, not merely late.
                        SeesChecker.Outcome outcome = sees.check(s, session, scope, messages);
                        verdict = outcome.verdict();
                        detail = outcome.detail();
                        query = outcome.query();
                    } catch (BaseServerResponseException e) {
                        verdict = Verdict.ERROR;
                        detail = "HTTP " + e.getStatusCode() + " from the server: " + e.getMessage();
                    } catch (RuntimeException e) {
                        verdict = Verdict.ERROR;
                        detail = locate(journey, step.pointer() + "/sees/" + s.index(), e.getMessage());
                    }
                    assertions.add(supplierMode.judged(new AssertionResult(
                            step.id(),
                            s.id(),
                            s.title(),
                            s.capabilities(),
                            s.flows(),
                            query,
                            verdict,
                            detail,
                            Duration.ofNanos(System.nanoTime() - t0).toMillis(),
                            session.takeCareRelationships())));
                }
                List<ActionResult> actions = new ArrayList<>();
                windows.add(new TimelinessMeter.StepWindow(step.id(), journeyClock.now(), now));
                for (int i = 0; i < step.does().size(); i++) {
                    Action action = step.does().get(i);
                    // Each action its own window: what its entries say they recorded (recorded-at) is what timeliness
                    // counts from when the flow names no moment in the record.
                    windows.add(new TimelinessMeter.StepWindow(
                            step.id(), journeyClock.now(), recordedFrom(action, now, journey)));
                    if (action instanceof Step.SendHl7v2 && clockTeller != null) {
                        // MLLP carries no trusted time: the server is told the run's before the message is sent.
                        clockTeller.setClock(runId, journeyClock.now());
                    }
                    Step.Refusal refusal = action.refused();
                    long t0 = System.nanoTime();
                    var documentSender = action instanceof Step.SendDocument document
                            ? supplierMode.sender(
                                    document.flow(),
                                    organisationOf(session),
                                    step.actor().role())
                            : java.util.Optional.<org.ldrtestbed.routes.contract.SystemUnderTest>empty();
                    if (documentSender.isPresent()) {
                        // A system under test sends the document in the organisation's place: the engine waits for it.
                        if (clockTeller != null) {
                            clockTeller.setClock(runId, journeyClock.now());
                        }
                        Step.SendDocument send = (Step.SendDocument) action;
                        try {
                            actions.add(documents.awaitSystem(
                                    send,
                                    scope,
                                    supplierMode,
                                    example -> new SupplierMode.DocumentTurn(
                                            runId,
                                            journey.id(),
                                            nhsNumber,
                                            step,
                                            send,
                                            example,
                                            journeyClock.now(),
                                            documentSender.get(),
                                            adminApi(tokens))));
                        } catch (RuntimeException e) {
                            actions.add(new ActionResult(
                                    action.title(),
                                    Verdict.ERROR,
                                    locate(journey, step.pointer() + "/does/" + i, String.valueOf(e.getMessage()))));
                        }
                        continue;
                    }
                    var sut = action instanceof Step.SendHl7v2 send
                            ? supplierMode.sender(
                                    send.flow(),
                                    organisationOf(session),
                                    step.actor().role())
                            : java.util.Optional.<org.ldrtestbed.routes.contract.SystemUnderTest>empty();
                    if (sut.isPresent()) {
                        // A system under test sends this in the organisation's place: the engine waits for it instead.
                        Step.SendHl7v2 send = (Step.SendHl7v2) action;
                        String expected;
                        try {
                            expected = templates.render(send.message(), scope);
                        } catch (RuntimeException e) {
                            actions.add(new ActionResult(
                                    action.title(),
                                    Verdict.ERROR,
                                    locate(journey, step.pointer() + "/does/" + i, String.valueOf(e.getMessage()))));
                            continue;
                        }
                        actions.add(supplierMode.awaitSent(new SupplierMode.Turn(
                                runId,
                                journey.id(),
                                nhsNumber,
                                step,
                                send,
                                expected,
                                journeyClock.now(),
                                sut.get(),
                                adminApi(tokens))));
                        continue;
                    }
                    try {
                        ActionResult pulled = action instanceof Step.Write write && refusal == null
                                ? pulls.execute(
                                        journey.id(),
                                        step,
                                        write,
                                        session,
                                        scope,
                                        journeyClock.now(),
                                        () -> adminApi(tokens))
                                : null;
                        if (pulled != null) {
                            // A system under test holds these entries: the testbed pulled and filed them instead.
                            actions.add(pulled);
                            continue;
                        }
                        String summary = switch (action) {
                            case Step.Write write -> writes.execute(write, session, scope);
                            case Step.SendDocument send -> documents.execute(send, session, scope);
                            case Step.SendHl7v2 send -> hl7v2.execute(send, scope);
                            case Step.Update update -> changes.update(update, session, scope);
                            case Step.Patch patch -> changes.patch(patch, session, scope);
                        };
                        if (refusal == null) {
                            actions.add(new ActionResult(action.title(), Verdict.PASS, summary));
                        } else {
                            String detail = "the server ACCEPTED it (" + summary + "), expected it refused ("
                                    + refusal.reason() + ")";
                            // The action did what was asked; its assertion is what fails (so ablation sees a change in
                            // what is seen, not an action error).
                            actions.add(new ActionResult(action.title(), Verdict.PASS, detail));
                            assertions.add(refusalResult(step, action, refusal, Verdict.FAIL, detail, t0));
                        }
                    } catch (BaseServerResponseException e) {
                        String detail = "HTTP " + e.getStatusCode() + " from the server: " + e.getMessage();
                        if (refusal == null) {
                            actions.add(new ActionResult(action.title(), Verdict.ERROR, detail));
                        } else {
                            Verdict verdict = RefusalCheck.matches(refusal, e) ? Verdict.PASS : Verdict.FAIL;
                            String judged = verdict == Verdict.PASS
                                    ? "refused as expected (" + refusal.reason() + "): " + detail
                                    : "refused, but not for reason " + refusal.reason() + " ("
                                            + RefusalCheck.describe(e) + "): " + detail;
                            actions.add(new ActionResult(action.title(), Verdict.PASS, judged));
                            assertions.add(refusalResult(step, action, refusal, verdict, judged, t0));
                        }
                    } catch (RuntimeException e) {
                        String detail = locate(journey, step.pointer() + "/does/" + i, String.valueOf(e.getMessage()));
                        actions.add(new ActionResult(action.title(), Verdict.ERROR, detail));
                        if (refusal != null) {
                            assertions.add(refusalResult(step, action, refusal, Verdict.ERROR, detail, t0));
                        }
                    }
                }
                session.breakGlass(null);
                results.add(new StepResult(
                        step.id(),
                        step.title(),
                        step.background(),
                        step.actor().display(),
                        session.user().username(),
                        now,
                        actions,
                        assertions));
                progress.stepDone(results.size(), journey.steps().size(), results.getLast());
            }
            if (messages != null && !supplierMode.bindings().isEmpty()) {
                // A system under test's message may still be in flight with no assertion left waiting on it (one it
                // blocked): its delivery is timed too, so the run waits for its messages to settle first.
                long deadline = System.nanoTime() + SETTLE.toNanos();
                messages.catchUp();
                while (!messages.allSettled() && System.nanoTime() < deadline) {
                    messages.awaitMore(deadline);
                }
            }
            List<JourneyResult.Timeliness> timeliness = timeliness(runId, windows, tokens, notes);
            List<JourneyResult.UnmetNeed> unmet = List.of();
            if (registration != null) {
                unmet = UnmetNeeds.of(
                        results.stream().flatMap(r -> r.assertions().stream()).toList(),
                        settings.deployment(),
                        registration.withheld(runId),
                        catalogue);
            }
            JourneyResult result = new JourneyResult(
                    journey.id(),
                    journey.title(),
                    journey.source().file(),
                    runId,
                    connection.fhirBase().toString(),
                    started,
                    Duration.between(started, clock.instant()),
                    nhsNumber,
                    disabledFlows,
                    notes,
                    results,
                    timeliness,
                    settings.deploymentName(),
                    unmet,
                    journey.notCovered());
            // The systems' exchanges are the server's for as long as the run is registered: judged before it is ended.
            supplierMode.runEnded(result, adminApi(tokens));
            return result;
        } finally {
            if (registration != null) {
                registration.end(runId);
            }
            if (peopleRegistration != null) {
                peopleRegistration.endPeople(runId);
            }
        }
    }

    /** The admin API as the realm's testbed administrator, or null when the realm has none. */
    private AdminApi adminApi(TokenClient tokens) {
        RealmUser admin = admin();
        return admin == null
                ? null
                : new AdminApi(
                        serverRoot(),
                        () -> tokens.forUser(connection.clientId(), admin, ActorDirectory.passwordOf(admin)),
                        adminHttp);
    }

    /** ODS code of the actor's organisation, or null for a patient or proxy. */
    private static String organisationOf(ActorSession session) {
        return session.user().attribute("organisation").orElse(null);
    }

    private TokenClient tokenClient() {
        return new TokenClient(connection.issuer())
                .timingRequestsWith(nanos -> timer.spent(ReplayTimer.Kind.TOKEN_REQUEST, nanos));
    }

    /** Registers the run's switches as the realm's testbed-admin user; null when the realm has none. */
    private RunRegistration registration(TokenClient tokens) {
        RealmUser admin = admin();
        if (admin == null) {
            return null;
        }
        return new RunRegistration(
                serverRoot(),
                () -> tokens.forUser(connection.clientId(), admin, ActorDirectory.passwordOf(admin)),
                adminHttp,
                timer);
    }

    /** Registers the journey's people as the realm's testbed-admin user, who must exist. */
    private RunRegistration peopleRegistration(TokenClient tokens) {
        RunRegistration registration = registration(tokens);
        if (registration == null) {
            throw new IllegalStateException("the journey's people cannot be registered: the realm has no"
                    + " testbed-admin user to register them with the server");
        }
        return registration;
    }

    /** The realm's testbed administrator, who may read the message log, or null when the realm has none. */
    private RealmUser admin() {
        return realm.users().stream()
                .filter(u -> u.realmRoles().contains(Roles.ADMIN) && u.isEnabled())
                .findFirst()
                .orElse(null);
    }

    private URI serverRoot() {
        return URI.create(connection.fhirBase().toString().replaceFirst("/fhir/?$", "/"));
    }

    /**
     * Each flow message's timeliness, read from the server's message log as a testbed administrator of the realm;
     * a server without that log (another FHIR server) gets a note instead.
     */
    private List<JourneyResult.Timeliness> timeliness(
            String runId, List<TimelinessMeter.StepWindow> windows, TokenClient tokens, List<String> notes) {
        RealmUser admin = admin();
        if (admin == null) {
            notes.add("Timeliness not measured: the realm has no testbed-admin user to read the message log");
            return List.of();
        }
        return new TimelinessMeter(messageLog(tokens), catalogue)
                .measure(runId, windows)
                .orElseGet(() -> {
                    notes.add("Timeliness not measured: the server offers no message log at /testbed/messages");
                    return List.of();
                });
    }

    /** The server's message log, read as the realm's testbed administrator (who may be absent: then it reads nothing). */
    private MessageLogClient messageLog(TokenClient tokens) {
        RealmUser admin = admin();
        return new MessageLogClient(
                serverRoot(),
                () -> {
                    if (admin == null) {
                        throw new IllegalStateException("the realm has no testbed-admin user to read the message log");
                    }
                    return tokens.forUser(connection.clientId(), admin, ActorDirectory.passwordOf(admin));
                },
                adminHttp,
                timer);
    }

    private ActorSession session(
            Step step,
            Journey journey,
            Map<String, ActorSession> sessions,
            TokenClient tokens,
            String runId,
            ActorDirectory actors,
            JourneyClock journeyClock) {
        RealmUser user;
        try {
            user = actors.resolve(step.actor());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(locate(journey, step.pointer() + "/actor", e.getMessage()), e);
        }
        return sessions.computeIfAbsent(user.username(), u -> {
            ActorSession session = new ActorSession(
                    fhirContext,
                    connection,
                    user,
                    who -> tokens.forUser(connection.clientId(), who, ActorDirectory.passwordOf(who)),
                    runId,
                    journeyClock::now);
            session.client().registerInterceptor(new FhirCallTimer(timer));
            return session;
        });
    }

    private Bindings.ActorEntries actorEntries(RealmUser user, Bindings bindings) {
        String practitioner = user.attribute("practitioner")
                // A journey person without a directory practitioner has none to find ({{actor.practitioner}} says so).
                .filter(sds -> !sds.startsWith(org.ldrtestbed.identity.contract.JourneyPeople.UNLISTED_PRACTITIONER))
                .map(sds -> bindings.directory("practitioner", sds))
                .orElse(null);
        String organisation = user.attribute("organisation")
                .map(ods -> bindings.directory("org", ods))
                .orElse(null);
        return new Bindings.ActorEntries(practitioner, organisation);
    }

    /**
     * The journey's NHS number, or a fresh synthetic one when the server already holds a patient with it (a rerun
     * against a persistent server): each run follows its own patient, so counts in assertions stay true.
     */
    private String unusedNhsNumber(String wanted, ActorSession session, List<String> notes) {
        String candidate = wanted;
        while (patientExists(session, candidate)) {
            candidate = NhsNumber.syntheticFrom(ThreadLocalRandom.current().nextLong());
        }
        if (!candidate.equals(wanted)) {
            notes.add("The server already holds a patient with NHS number " + wanted + "; this run follows synthetic "
                    + "NHS number " + candidate + " instead.");
        }
        return candidate;
    }

    private static boolean patientExists(ActorSession session, String nhsNumber) {
        Bundle found = session.client()
                .search()
                .byUrl("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhsNumber + "&_summary=count")
                .returnBundle(Bundle.class)
                .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                .execute();
        return found.getTotal() > 0;
    }

    private static String findInDirectory(ActorSession session, String kind, String code) {
        String query = switch (kind) {
            case "org" -> "Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code%7C" + code;
            case "location" -> "Location?identifier=" + code;
            case "practitioner" -> "Practitioner?identifier=https://fhir.nhs.uk/Id/sds-user-id%7C" + code;
            default -> throw new Templates.TemplateException("unknown directory kind " + kind);
        };
        Bundle found = session.client()
                .search()
                .byUrl(query)
                .returnBundle(Bundle.class)
                .execute();
        if (found.getEntry().size() != 1) {
            throw new Templates.TemplateException("the directory on the server has "
                    + found.getEntry().size() + " entries for " + kind + ":" + code + " (expected exactly one)");
        }
        return found.getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
    }

    /** What timeliness counts from for the messages an action causes: its entries' recorded-at, else the step. */
    private static Instant recordedFrom(Action action, Instant stepTime, Journey journey) {
        return switch (action) {
            case Step.Write write -> LocalEntries.recordedFrom(write.resources(), stepTime, journey.start());
            case Step.SendDocument send -> LocalEntries.recordedFrom(send.resources(), stepTime, journey.start());
            default -> stepTime;
        };
    }

    /** A {@code does} expected to be refused, reported as an assertion of the step. */
    private static AssertionResult refusalResult(
            Step step, Action action, Step.Refusal refusal, Verdict verdict, String detail, long t0) {
        return new AssertionResult(
                step.id(),
                refusal.id(),
                refusal.title() != null ? refusal.title() : action.title() + " is refused (" + refusal.reason() + ")",
                refusal.capabilities(),
                refusal.flows(),
                RefusalCheck.QUERY_PREFIX + action.title(),
                verdict,
                detail,
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    private StepResult failedStep(Step step, Instant now, String reason) {
        List<AssertionResult> assertions = java.util.stream.Stream.concat(
                        step.sees().stream()
                                .map(s -> new AssertionResult(
                                        step.id(),
                                        s.id(),
                                        s.title(),
                                        s.capabilities(),
                                        s.flows(),
                                        s.query(),
                                        Verdict.ERROR,
                                        reason,
                                        0)),
                        step.refusals().stream()
                                .map(r -> new AssertionResult(
                                        step.id(),
                                        r.id(),
                                        r.title() != null ? r.title() : "refused (" + r.reason() + ")",
                                        r.capabilities(),
                                        r.flows(),
                                        RefusalCheck.QUERY_PREFIX,
                                        Verdict.ERROR,
                                        reason,
                                        0)))
                .toList();
        List<ActionResult> actions = step.does().stream()
                .map(a -> new ActionResult(a.title(), Verdict.ERROR, reason))
                .toList();
        return new StepResult(
                step.id(), step.title(), step.background(), step.actor().display(), "-", now, actions, assertions);
    }

    private static String locate(Journey journey, String pointer, String message) {
        return journey.source().error(pointer, message).getMessage();
    }

    /** The realm the runner logs actors in from. */
    public RealmDefinition realm() {
        return realm;
    }
}
