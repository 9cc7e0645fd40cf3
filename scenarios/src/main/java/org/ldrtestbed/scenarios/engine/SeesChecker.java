package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.identity.contract.FhirPathTruth;
import org.ldrtestbed.scenarios.journey.Step.Sees;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Checks a {@code sees} assertion with the actor's own client: searches (always fresh, never a cached result) and
 * counts the matches that satisfy {@code where}; when the expectation does not hold yet, asks again as the run's flow
 * messages settle, until it holds, they have all settled, or {@code wait} ends.
 */
final class SeesChecker {

    private static final int MAX_PAGES = 20;

    /** A read of one entry by id, as {@code {{ref:label}}} renders. */
    private static final java.util.regex.Pattern READ =
            java.util.regex.Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");

    private final Templates templates;
    private final IFhirPath fhirPath;
    private final Bindings bindings;

    SeesChecker(FhirContext fhirContext, Templates templates) {
        this(fhirContext, templates, null);
    }

    /** @param bindings where the versions of labelled entries the actor reads are remembered (for If-Match) */
    SeesChecker(FhirContext fhirContext, Templates templates, Bindings bindings) {
        this.templates = templates;
        this.fhirPath = fhirContext.newFhirPath();
        this.bindings = bindings;
    }

    /** The outcome of one assertion. */
    record Outcome(String query, Verdict verdict, String detail) {
        Outcome withDetail(String more) {
            return new Outcome(query, verdict, more);
        }
    }

    /** Checks the assertion once, without waiting for anything. */
    Outcome check(Sees sees, ActorSession session, Templates.Scope scope) throws InterruptedException {
        return check(sees, session, scope, null);
    }

    /**
     * Checks the assertion; when it does not hold yet and it may wait, waits on the run's flow messages rather than
     * asking again and again: asks again when a message of a flow it depends on settles, and once more when every
     * message of the run has settled (what is missing then is missing), or when its patience ends.
     *
     * @param messages the run's flow messages, or null when there is no message log to wait on
     */
    Outcome check(Sees sees, ActorSession session, Templates.Scope scope, RunMessages messages)
            throws InterruptedException {
        String query = encode(templates.render(sees.query(), scope));
        String where = sees.where() == null ? null : templates.render(sees.where(), scope);
        long deadline = System.nanoTime() + sees.patience().toNanos();
        Judged judged = judge(sees, session, query, where);
        if (judged.met() || sees.patience().isZero()) {
            return judged.outcome(query, "");
        }
        if (messages == null) {
            return judged.outcome(query, "; not waited for: the server offers no message log to wait on");
        }
        List<RunMessages.Settled> settled = messages.catchUp();
        while (true) {
            if (!messages.readable()) {
                return judge(sees, session, query, where)
                        .outcome(query, "; not waited for: the server's message log could not be read");
            }
            if (messages.allSettled()) {
                Judged last = judge(sees, session, query, where);
                return last.outcome(query, last.met() ? "" : "; still so once the run's flow messages had settled");
            }
            if (settled.stream().anyMatch(m -> sees.flows().contains(m.flowCode()))) {
                Judged again = judge(sees, session, query, where);
                if (again.met()) {
                    return again.outcome(query, "");
                }
            }
            if (System.nanoTime() >= deadline) {
                Judged last = judge(sees, session, query, where);
                return last.outcome(
                        query,
                        last.met()
                                ? ""
                                : " after waiting " + sees.patience() + "; the run's flow messages had not settled");
            }
            settled = messages.awaitMore(deadline);
        }
    }

    /** What one look found, and whether it meets the expectation. */
    private record Judged(boolean met, String found, String expected, List<String> told) {
        Outcome outcome(String query, String waited) {
            String said = told.isEmpty() ? "" : "; the server said: " + String.join("; ", told);
            return new Outcome(
                    query, met ? Verdict.PASS : Verdict.FAIL, found + ", expected " + expected + waited + said);
        }
    }

    private Judged judge(Sees sees, ActorSession session, String query, String where) {
        Found found = READ.matcher(query).matches()
                ? read(session.client(), query)
                : query.contains("$") ? operation(session.client(), query) : search(session.client(), query);
        if (bindings != null) {
            found.matches()
                    .forEach(r -> bindings.versionSeen(
                            r.getIdElement().toUnqualifiedVersionless().getValue(),
                            r.getIdElement().getVersionIdPart()));
        }
        int counted = 0;
        for (Resource resource : found.matches()) {
            if (where == null || isTrue(resource, where)) {
                counted++;
            }
        }
        String reason = sees.expect().withheld();
        boolean met = sees.expect().isMetBy(counted)
                && (reason == null || found.withheldFor().contains(reason));
        String what = where == null
                ? "found " + counted
                : "found " + counted + " of " + found.matches().size() + " matching where " + where;
        return new Judged(met, what, sees.expect().describe(), found.told());
    }

    /**
     * What a search or operation returned: the matching resources (for an operation, its error issues), the reason
     * codes the server gave for what it withheld, and what it said.
     */
    private record Found(List<Resource> matches, List<String> withheldFor, List<String> told) {}

    private Found search(IGenericClient client, String query) {
        Bundle page = client.search()
                .byUrl(query)
                .returnBundle(Bundle.class)
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .execute();
        List<Resource> matches = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> told = new ArrayList<>();
        for (int pages = 1; ; pages++) {
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                if (entry.getResource() instanceof OperationOutcome outcome) {
                    heard(outcome, reasons, told);
                    continue;
                }
                boolean match = !entry.hasSearch() || entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE;
                if (match && entry.getResource() != null) {
                    matches.add(entry.getResource());
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null || pages >= MAX_PAGES) {
                return new Found(matches, reasons, told);
            }
            page = client.loadPage().next(page).execute();
        }
    }

    /**
     * A read of one entry, with the same access checks as a search: the entry when the actor may read it; nothing
     * when it is withheld (403 with the policy's reason) or not known (404, which is also how another patient's entry
     * is answered: as if it did not exist).
     */
    private Found read(IGenericClient client, String reference) {
        IdType id = new IdType(reference);
        try {
            IBaseResource entry = client.read()
                    .resource(id.getResourceType())
                    .withId(id.getIdPart())
                    .cacheControl(new CacheControlDirective().setNoCache(true))
                    .execute();
            return new Found(List.of((Resource) entry), List.of(), List.of());
        } catch (ForbiddenOperationException | ResourceNotFoundException | ResourceGoneException e) {
            List<String> reasons = new ArrayList<>();
            List<String> told = new ArrayList<>();
            if (e.getOperationOutcome() instanceof OperationOutcome outcome) {
                heard(outcome, reasons, told);
            }
            if (told.isEmpty()) {
                told.add("HTTP " + e.getStatusCode() + ": " + e.getMessage());
            }
            return new Found(List.of(), reasons, told);
        }
    }

    /** An operation such as {@code AuditEvent/$verify}: its error issues are what it found. */
    private Found operation(IGenericClient client, String query) {
        OperationOutcome outcome =
                client.fetchResourceFromUrl(OperationOutcome.class, client.getServerBase() + "/" + query);
        List<Resource> errors = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> told = new ArrayList<>();
        heard(outcome, reasons, told);
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            if (issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                    || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL) {
                errors.add(new OperationOutcome().addIssue(issue));
            }
        }
        return new Found(errors, reasons, told);
    }

    private static void heard(OperationOutcome outcome, List<String> reasons, List<String> told) {
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            issue.getDetails().getCoding().forEach(c -> reasons.add(c.getCode()));
            if (issue.hasDiagnostics()) {
                told.add(issue.getDiagnostics());
            }
        }
    }

    private boolean isTrue(Resource resource, String expression) {
        try {
            return FhirPathTruth.isTrue(fhirPath, resource, expression);
        } catch (RuntimeException e) {
            // HAPI reports FHIRPath errors as InternalErrorException (an "HTTP 500"): it is the journey's fault.
            throw new IllegalArgumentException("'where' is not valid FHIRPath: " + e.getMessage(), e);
        }
    }

    /** Encodes parameter values (a journey writes {@code code=system|code}; '|' is not legal in a URL). */
    static String encode(String query) {
        int q = query.indexOf('?');
        if (q < 0) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.substring(0, q + 1));
        String[] params = query.substring(q + 1).split("&");
        for (int i = 0; i < params.length; i++) {
            String param = params[i];
            int eq = param.indexOf('=');
            if (i > 0) {
                out.append('&');
            }
            if (eq < 0) {
                out.append(param);
            } else {
                out.append(param, 0, eq + 1).append(URLEncoder.encode(param.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }
}
