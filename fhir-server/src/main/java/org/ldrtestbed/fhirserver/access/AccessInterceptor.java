package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.access.AccessPolicy;

/**
 * Applies the access policy to every FHIR request: refuses what the actor may not ask for (emergency access without
 * the right, counts that would reveal withheld entries, a patient writing into someone else's record), leaves out of
 * every response the entries {@link AccessControl} withholds, says in the search result what was withheld and why,
 * and keeps what each write says about relationships and consent current.
 */
@Interceptor
public class AccessInterceptor {

    /** Request header that asks for emergency access; its value is the reason, audited and alerted. */
    public static final String BREAK_GLASS_HEADER = "X-Break-Glass-Reason";

    /** Code system of the reasons in the OperationOutcome a search result carries for what it left out. */
    public static final String DENIAL_REASONS = "https://fhir.ldr-testbed.example/CodeSystem/access-denial-reason";

    private final FhirContext fhirContext;
    private final AccessControl access;
    private final PrivacyAlerts alerts;

    public AccessInterceptor(FhirContext fhirContext, AccessControl access, PrivacyAlerts alerts) {
        this.fhirContext = fhirContext;
        this.access = access;
        this.alerts = alerts;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void preHandled(ServletRequestDetails request, RestOperationTypeEnum operation) {
        Optional<ActorIdentity> actor = CurrentActor.get();
        if (actor.isEmpty()) {
            return;
        }
        String reason = request.getHeader(BREAK_GLASS_HEADER);
        String purpose = AccessPolicy.TREAT;
        if (reason != null) {
            if (reason.isBlank()) {
                throw new InvalidRequestException(BREAK_GLASS_HEADER + " must state the reason for emergency access");
            }
            if (!access.rules().policy().mayBreakGlass(actor.get().roles())) {
                throw new ForbiddenOperationException(
                        "Role " + String.join("/", actor.get().roles())
                                + " may not use emergency access (break-glass) under the access policy");
            }
            purpose = AccessPolicy.BREAK_GLASS;
        }
        request.getUserData().put(RequestAccess.KEY, new RequestAccess(actor.get(), purpose, reason));
        if (access.rules().restricts(actor.get())
                && asksForCount(request)
                && countsPatientData(request)
                && !isProfessionalTrace(request, actor.get())) {
            throw new ForbiddenOperationException("Search totals (_summary=count, _total) are not given to "
                    + actor.get().username() + ": they would count entries the access policy withholds");
        }
        if (access.rules().restricts(actor.get())
                && request.getParameters().keySet().stream().anyMatch(p -> p.startsWith("_has"))) {
            // Patient?_has:Condition:patient:code=... would tell which patients have an entry the reader may not see.
            throw new ForbiddenOperationException("Reverse chaining (_has) is not offered to "
                    + actor.get().username() + ": it would reveal entries the access policy withholds");
        }
    }

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void preShow(IPreResourceShowDetails details, RequestDetails request) {
        if (!(request instanceof ServletRequestDetails)) {
            return; // the server's own lookups (including this policy's) are not a reader's
        }
        RequestAccess requestAccess = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        if (requestAccess == null) {
            return;
        }
        ActorIdentity reader = requestAccess.actor();
        boolean single = request.getRestOperationType() == RestOperationTypeEnum.READ
                || request.getRestOperationType() == RestOperationTypeEnum.VREAD;
        for (int i = 0; i < details.size(); i++) {
            IBaseResource entry = details.getResource(i);
            if (entry == null) {
                continue;
            }
            List<String> patients = access.patientIdsOf(entry);
            AccessDecision decision = requestAccess.decision(
                    entry.getIdElement().getValue(),
                    () -> access.decide(entry, patients, reader, requestAccess.purpose()));
            if (decision.allowed()) {
                requestAccess.touched(patients);
                if (!decision.overridden().isEmpty()) {
                    requestAccess.overrode(patients, decision.overridden());
                }
                continue;
            }
            String reference = entry.getIdElement().toUnqualifiedVersionless().getValue();
            requestAccess.withheld(new RequestAccess.Withheld(
                    reference, patients.isEmpty() ? null : patients.getFirst(), decision.reason(), decision.detail()));
            details.setResource(i, null);
            if (single) {
                throw new ForbiddenOperationException(
                        reference + " is withheld from " + reader.username() + " ("
                                + decision.reason().code() + "): " + decision.detail(),
                        outcome(decision.reason().code(), reference + ": " + decision.detail()));
            }
        }
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void outgoing(RequestDetails request, ResponseDetails response) {
        RequestAccess requestAccess = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        if (requestAccess == null
                || !access.rules().restricts(requestAccess.actor())
                || !(response.getResponseResource() instanceof Bundle bundle)
                || bundle.getType() != Bundle.BundleType.SEARCHSET) {
            return;
        }
        if (countsPatientData(request) && !isProfessionalTrace(request, requestAccess.actor())) {
            bundle.setTotalElement(null); // a total would count what was withheld
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> codes = new LinkedHashMap<>();
        for (RequestAccess.Withheld withheld : requestAccess.withheld()) {
            if (withheld.reason() == AccessDecision.Reason.OTHER_PATIENT) {
                continue; // other patients' records are not this reader's business, not even their size
            }
            counts.merge(withheld.detail(), 1, Integer::sum);
            codes.put(withheld.detail(), withheld.reason().code());
        }
        if (counts.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        counts.forEach((detail, count) -> outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.SUPPRESSED)
                .setDiagnostics(count + (count == 1 ? " entry" : " entries") + " withheld: " + detail)
                .getDetails()
                .addCoding()
                .setSystem(DENIAL_REASONS)
                .setCode(codes.get(detail)));
        bundle.addEntry().setResource(outcome).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
    }

    /**
     * Every emergency access is alerted to the privacy officer, once per patient per request, before the response is
     * written.
     */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void alert(RequestDetails request) {
        RequestAccess requestAccess = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        if (requestAccess == null || !AccessPolicy.BREAK_GLASS.equals(requestAccess.purpose())) {
            return;
        }
        String described = request.getRequestType() + " " + request.getCompleteUrl();
        for (String patientId : requestAccess.patients()) {
            List<String> overridden = requestAccess.overridden().getOrDefault(patientId, Set.of()).stream()
                    .map(r -> r.code())
                    .toList();
            alerts.raise(requestAccess, patientId, overridden, described);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource entry, RequestDetails request) {
        checkOwnRecord(entry, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource entry, RequestDetails request) {
        checkOwnRecord(entry, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource entry, RequestDetails request) {
        learn(entry, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource entry, RequestDetails request) {
        learn(entry, request);
    }

    /** A patient or proxy writes only into their own patient's record (booking, ordering a repeat). */
    private void checkOwnRecord(IBaseResource entry, RequestDetails request) {
        RequestAccess requestAccess =
                request == null ? null : (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        if (requestAccess == null) {
            return;
        }
        ActorIdentity writer = requestAccess.actor();
        if (!access.rules().isPatient(writer) && !access.rules().isProxy(writer)) {
            return;
        }
        List<String> patients = access.patientIdsOf(entry);
        if (!patients.isEmpty() && patients.stream().noneMatch(access.ownPatients(writer)::contains)) {
            throw new ForbiddenOperationException(
                    writer.username() + " may write only into their own patient's record (other-patient)",
                    outcome("other-patient", "not the record of the patient this token is for"));
        }
    }

    private void learn(IBaseResource entry, RequestDetails request) {
        List<String> patients = access.patientIdsOf(entry);
        access.relationships()
                .learn(entry, patients, access.writerOrganisation(entry).orElse(null));
        String type = fhirContext.getResourceType(entry);
        if (type.equals("Patient")) {
            access.records().forgetPatients();
        } else if (type.equals("Consent")) {
            patients.forEach(access.records()::forgetConsents);
        }
        RequestAccess requestAccess =
                request == null ? null : (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        if (requestAccess != null) {
            requestAccess.touched(patients);
        }
    }

    private static boolean asksForCount(RequestDetails request) {
        Map<String, String[]> parameters = request.getParameters();
        String[] summary = parameters.get("_summary");
        return parameters.containsKey("_total")
                || (summary != null && List.of(summary).contains("count"));
    }

    /** A search over patient data (or over every type), whose total could count what the policy withholds. */
    private boolean countsPatientData(RequestDetails request) {
        return request.getResourceName() == null || access.isPatientData(request.getResourceName());
    }

    /** Professionals may trace a patient by demographics (as on PDS), so Patient searches keep their totals. */
    private boolean isProfessionalTrace(RequestDetails request, ActorIdentity actor) {
        return "Patient".equals(request.getResourceName())
                && !access.rules().isPatient(actor)
                && !access.rules().isProxy(actor);
    }

    private static OperationOutcome outcome(String reason, String detail) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN)
                .setDiagnostics(detail)
                .getDetails()
                .addCoding()
                .setSystem(DENIAL_REASONS)
                .setCode(reason);
        return outcome;
    }
}
