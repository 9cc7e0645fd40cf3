package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.contract.Systems;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.InteractionRules;
import org.ldrtestbed.identity.access.RequestFacts;

/**
 * Applies the access policy to every FHIR interaction; a switchboard over the decisions. Before HAPI handles a request:
 * emergency access, and what {@link InteractionRules} refuses outright (deletes, operations the policy does not offer,
 * queries that would reveal withheld entries). As entries are shown: {@link AccessControl#decide} for each, in every
 * read, search, include, history and page. As entries are stored: {@link AccessControl#decideWrite} for each create,
 * update, patch and label change, alone or in a bundle. Then what a search says it withheld, what a write's response
 * may show, and what each write says about relationships and consent.
 */
@Interceptor
public class AccessInterceptor {

    /** Request header that asks for emergency access; its value is the reason, audited and alerted. */
    public static final String BREAK_GLASS_HEADER = Headers.BREAK_GLASS_REASON;

    /**
     * Response header naming each care relationship the entries shown were allowed by, e.g. {@code
     * patient=Patient/12; organisation=SYNCM; kind=recorded; via=CareTeam.participant.member; event=CareTeam/13};
     * absent when none was needed or none was there.
     */
    public static final String CARE_RELATIONSHIP_HEADER = Headers.CARE_RELATIONSHIP;

    /** Code system of the reasons in the OperationOutcome a search result carries for what it left out. */
    public static final String DENIAL_REASONS = Systems.DENIAL_REASONS;

    private final FhirContext fhirContext;
    private final AccessControl access;
    private final InteractionRules interactions;
    private final PrivacyAlerts alerts;

    public AccessInterceptor(FhirContext fhirContext, AccessControl access, PrivacyAlerts alerts) {
        this.fhirContext = fhirContext;
        this.access = access;
        this.interactions = new InteractionRules(access.rules());
        this.alerts = alerts;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void preHandled(ServletRequestDetails request, RestOperationTypeEnum operation) {
        Optional<ActorIdentity> actor = CurrentActor.get(request);
        if (actor.isEmpty()) {
            return;
        }
        String reason = request.getHeader(BREAK_GLASS_HEADER);
        String purpose = switch (interactions.purpose(actor.get(), reason)) {
            case InteractionRules.Purpose.Granted granted -> granted.purpose();
            case InteractionRules.Purpose.Malformed malformed ->
                throw new InvalidRequestException(BREAK_GLASS_HEADER + " must state " + malformed.problem());
            case InteractionRules.Purpose.Refused refused -> throw new ForbiddenOperationException(refused.detail());
        };
        RequestAccess existing = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        // A batch entry shares its bundle's user data: what it touches is audited with the bundle.
        RequestAccess requestAccess =
                existing != null && request.isSubRequest() ? existing : new RequestAccess(actor.get(), purpose, reason);
        request.getUserData().put(RequestAccess.KEY, requestAccess);
        RequestFacts facts = requestFacts(request, operation, actor.get());
        if (interactions.refusesTotal(facts)) {
            throw new ForbiddenOperationException("Search totals (_summary=count, _total) are not given to "
                    + actor.get().username() + ": they would count entries the access policy withholds");
        }
        Optional<AccessDecision> refused = interactions.refusal(facts);
        if (refused.isPresent()) {
            if (facts.instance()) {
                // A refused delete or operation on an entry is still an attempt on that patient's record.
                access.records().stored(request.getId()).ifPresent(e -> requestAccess.touched(access.patientIdsOf(e)));
            }
            throw refusal(actor.get(), request.getCompleteUrl(), refused.get());
        }
        // HAPI's JPA serves $meta, $meta-add and $meta-delete as extended operations.
        String name = nameOf(request.getOperation());
        if (operation == RestOperationTypeEnum.META || "meta".equals(name)) {
            decideStored(request, requestAccess, null);
        } else if (operation == RestOperationTypeEnum.META_ADD
                || operation == RestOperationTypeEnum.META_DELETE
                || "meta-add".equals(name)
                || "meta-delete".equals(name)) {
            decideStored(request, requestAccess, actor.get());
        }
    }

    /**
     * {@code $meta} on an entry is a read of it; {@code $meta-add} and {@code $meta-delete} change its labels, which
     * only its recording organisation may. HAPI answers them without showing the entry to the storage hooks, so the
     * stored entry is decided here.
     */
    private void decideStored(ServletRequestDetails request, RequestAccess requestAccess, ActorIdentity writer) {
        if (request.getId() == null || !request.getId().hasIdPart()) {
            return; // over a type or the server: refused above to restricted actors
        }
        Optional<IBaseResource> stored = access.records().stored(request.getId());
        if (stored.isEmpty()) {
            return; // HAPI answers 404 itself
        }
        List<String> patients = access.patientIdsOf(stored.get());
        requestAccess.touched(patients);
        AccessDecision decision = writer == null
                ? access.decide(stored.get(), patients, requestAccess.actor(), requestAccess.purpose())
                : access.decideWrite(stored.get(), null, writer);
        if (!decision.allowed()) {
            // A refused label change is answered as a refused update is; a refused $meta as a refused read.
            throw writer == null
                    ? readRefusal(requestAccess.actor(), stored.get(), decision)
                    : refusal(
                            writer,
                            stored.get()
                                    .getIdElement()
                                    .toUnqualifiedVersionless()
                                    .getValue(),
                            decision);
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
        boolean history = isHistory(request);
        for (int i = 0; i < details.size(); i++) {
            IBaseResource entry = details.getResource(i);
            if (entry == null) {
                continue;
            }
            List<String> patients = access.patientIdsOfStored(entry);
            AccessDecision decision = requestAccess.decision(
                    entry.getIdElement().getValue(),
                    () -> access.decide(entry, patients, reader, requestAccess.purpose()));
            if (decision.allowed()) {
                requestAccess.touched(patients);
                // A search's entries mostly share one patient: once their relationship is named, it is named.
                if (!requestAccess.namesRelationshipsOf(patients, reader.organisation())) {
                    access.grantedBy(entry, patients, reader, requestAccess.purpose())
                            .ifPresent(requestAccess::grantedBy);
                }
                if (!decision.overridden().isEmpty()) {
                    requestAccess.overrode(patients, decision.overridden());
                }
                continue;
            }
            String reference = entry.getIdElement().toUnqualifiedVersionless().getValue();
            requestAccess.withheld(new RequestAccess.Withheld(
                    reference, patients.isEmpty() ? null : patients.getFirst(), decision.reason(), decision.detail()));
            details.setResource(i, history ? WithheldPlaceholder.create() : null);
            if (single) {
                throw readRefusal(reader, entry, decision);
            }
        }
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void outgoing(RequestDetails request, ResponseDetails response) {
        RequestAccess requestAccess = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        if (requestAccess == null
                || !access.rules().restricts(requestAccess.actor())
                || !(response.getResponseResource() instanceof Bundle bundle)) {
            return;
        }
        if (bundle.getType() == Bundle.BundleType.HISTORY) {
            bundle.getEntry().removeIf(e -> WithheldPlaceholder.is(e.getResource()));
            bundle.setTotalElement(null); // it would count what was withheld
            return;
        }
        if (bundle.getType() != Bundle.BundleType.SEARCHSET) {
            return;
        }
        if (!interactions.keepsTotal(requestAccess.actor(), request.getResourceName(), countsPatientData(request))) {
            bundle.setTotalElement(null); // a total would count what was withheld
        }
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE
                || request.getResourceName() == null
                || request.getResourceName().equals("AuditEvent")) {
            return; // the audit trail has rules of its own (AuditEventProvider)
        }
        // What the result says it withheld depends on who reads which patient's entries of which type, never on what
        // matched: a notice that came only with matches would tell a reader what a withheld entry holds.
        Set<AccessDecision> withheld = access.wouldWithhold(
                request.getResourceName(),
                searchedPatients(request, requestAccess.actor()),
                requestAccess.actor(),
                requestAccess.purpose());
        if (withheld.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        Set<String> said = new java.util.HashSet<>();
        for (AccessDecision decision : withheld) {
            if (!said.add(decision.reason().code() + decision.detail())) {
                continue;
            }
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.SUPPRESSED)
                    .setDiagnostics(request.getResourceName() + " entries withheld: " + decision.detail())
                    .getDetails()
                    .addCoding()
                    .setSystem(DENIAL_REASONS)
                    .setCode(decision.reason().code());
        }
        bundle.addEntry().setResource(outcome).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
    }

    /** Which care relationship let the reader see what the response shows (none on a refusal). */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void careRelationship(RequestDetails request, jakarta.servlet.http.HttpServletResponse response) {
        RequestAccess requestAccess = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        if (requestAccess != null && response != null) {
            requestAccess.grantedBy().forEach(r -> response.addHeader(CARE_RELATIONSHIP_HEADER, r.headerValue()));
        }
    }

    /** The patients a search is about: its patient or subject parameter, or a patient's or proxy's own record. */
    private List<String> searchedPatients(RequestDetails request, ActorIdentity reader) {
        List<String> patients = new java.util.ArrayList<>();
        for (String name : List.of("patient", "subject", "for", "beneficiary")) {
            String[] values = request.getParameters().get(name);
            if (values == null) {
                continue;
            }
            for (String value : values) {
                for (String one : value.split(",")) {
                    String id = one.startsWith("Patient/") ? one.substring("Patient/".length()) : one;
                    if (!id.isBlank() && !id.contains("/") && !patients.contains(id)) {
                        patients.add(id);
                    }
                }
            }
        }
        if (patients.isEmpty()
                && (access.rules().isPatient(reader) || access.rules().isProxy(reader))) {
            patients.addAll(access.ownPatients(reader));
        }
        return patients;
    }

    /**
     * A write's response carries the entry as stored only to a caller who may read it (a professional's change that
     * the publishing rules hold back, say); otherwise it says what was stored and not what it holds.
     */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void written(RequestDetails request, ResponseDetails response) {
        RequestAccess requestAccess = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        IBaseResource body = response.getResponseResource();
        if (requestAccess == null || body == null || !access.rules().restricts(requestAccess.actor())) {
            return;
        }
        switch (request.getRestOperationType()) {
            case CREATE, UPDATE, PATCH -> {
                if (!(body instanceof OperationOutcome) && !readable(body, requestAccess)) {
                    OperationOutcome stored = new OperationOutcome();
                    stored.addIssue()
                            .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                            .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                            .setDiagnostics("Stored as "
                                    + body.getIdElement().toUnqualified().getValue()
                                    + "; not shown: the access policy withholds it from "
                                    + requestAccess.actor().username());
                    response.setResponseResource(stored);
                }
            }
            case TRANSACTION, BATCH -> {
                if (body instanceof Bundle bundle) {
                    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                        if (entry.getResource() != null
                                && !(entry.getResource() instanceof OperationOutcome)
                                && !readable(entry.getResource(), requestAccess)) {
                            entry.setResource(null);
                        }
                    }
                }
            }
            default -> {}
        }
    }

    private boolean readable(IBaseResource entry, RequestAccess requestAccess) {
        return access.decide(entry, requestAccess.actor(), requestAccess.purpose())
                .allowed();
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
        decideWrite(null, entry, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource previous, IBaseResource entry, RequestDetails request) {
        decideWrite(previous, entry, request);
    }

    /** Each delete, a transaction's or a conditional one's too: the policy's deleters only, audited per patient. */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void beforeDelete(IBaseResource entry, RequestDetails request) {
        RequestAccess requestAccess = requestAccess(request);
        if (requestAccess == null) {
            return;
        }
        requestAccess.touched(access.patientIdsOf(entry));
        if (!access.rules().mayDelete(requestAccess.actor())) {
            throw refusal(
                    requestAccess.actor(),
                    entry.getIdElement().toUnqualifiedVersionless().getValue(),
                    InteractionRules.DELETE_REFUSAL);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource entry, RequestDetails request) {
        learn(entry, request);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource entry, RequestDetails request) {
        learn(entry, request);
    }

    /**
     * Every write, alone or in a batch or transaction, as the policy says the writer may write; refused inside the
     * write's transaction, so nothing of it is stored. Both versions' patients are audited.
     */
    private void decideWrite(IBaseResource previous, IBaseResource entry, RequestDetails request) {
        RequestAccess requestAccess = requestAccess(request);
        if (requestAccess == null) {
            return;
        }
        ActorIdentity writer = requestAccess.actor();
        if (previous != null) {
            requestAccess.touched(access.patientIdsOf(previous));
        }
        requestAccess.touched(access.patientIdsOf(entry));
        AccessDecision decision = access.decideWrite(previous, entry, writer);
        if (!decision.allowed()) {
            throw refusal(
                    writer,
                    previous != null
                            ? previous.getIdElement().toUnqualifiedVersionless().getValue()
                            : fhirContext.getResourceType(entry),
                    decision);
        }
    }

    private static RequestAccess requestAccess(RequestDetails request) {
        return request == null ? null : (RequestAccess) request.getUserData().get(RequestAccess.KEY);
    }

    /** A refused interaction: 403, the reason code in the OperationOutcome. */
    private static ForbiddenOperationException refusal(ActorIdentity actor, String what, AccessDecision decision) {
        String detail = decision.detail();
        return new ForbiddenOperationException(
                what + " is refused to " + actor.username() + " ("
                        + decision.reason().code() + "): " + detail,
                outcome(decision.reason().code(), detail));
    }

    /**
     * A refused read of one entry. An entry of another patient's record, or one labelled sensitive, is answered as if
     * it did not exist: a refusal would confirm it is there, and what kind of entry it is.
     */
    private static RuntimeException readRefusal(ActorIdentity reader, IBaseResource entry, AccessDecision decision) {
        String reference = entry.getIdElement().toUnqualifiedVersionless().getValue();
        if (decision.reason() == AccessDecision.Reason.OTHER_PATIENT
                || decision.reason() == AccessDecision.Reason.SENSITIVE) {
            // In HAPI's own words for an entry it does not hold, code and all: any difference would be the tell.
            return new ResourceNotFoundException(
                    ca.uhn.fhir.i18n.Msg.code(2001) + "Resource " + reference + " is not known");
        }
        return new ForbiddenOperationException(
                reference + " is withheld from " + reader.username() + " ("
                        + decision.reason().code() + "): " + decision.detail(),
                outcome(decision.reason().code(), reference + ": " + decision.detail()));
    }

    private void learn(IBaseResource entry, RequestDetails request) {
        List<String> patients = access.patientIdsOf(entry);
        RequestAccess requestAccess = requestAccess(request);
        // A system client delivers what one organisation sends another: what it files is never a self-referral.
        boolean delivered = requestAccess == null || !access.rules().restricts(requestAccess.actor());
        access.relationships()
                .learn(
                        entry,
                        patients,
                        delivered ? null : access.writerOrganisation(entry).orElse(null));
        String type = fhirContext.getResourceType(entry);
        if (type.equals("Patient")) {
            access.records().forgetPatients();
        } else if (type.equals("Consent")) {
            patients.forEach(access.records()::forgetConsents);
        }
        if (requestAccess != null) {
            requestAccess.touched(patients);
        }
    }

    /**
     * A history page's entries go to HAPI's bundle builder, which cannot take a left-out entry; a placeholder stands
     * in for it until the response is complete, then is removed.
     */
    private static boolean isHistory(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        return operation == RestOperationTypeEnum.HISTORY_INSTANCE
                || operation == RestOperationTypeEnum.HISTORY_TYPE
                || operation == RestOperationTypeEnum.HISTORY_SYSTEM
                || (operation == RestOperationTypeEnum.GET_PAGE
                        && request.getCompleteUrl().contains("_history"));
    }

    /** A search over patient data (or over every type), whose total could count what the policy withholds. */
    private boolean countsPatientData(RequestDetails request) {
        return request.getResourceName() == null || access.isPatientData(request.getResourceName());
    }

    /**
     * The request as the policy's {@link InteractionRules} read it: HAPI's operation types as the policy's
     * interaction codes ({@code $meta} and {@code $validate} as the operations they are), and the types each chained
     * parameter's first link can reach.
     */
    private RequestFacts requestFacts(
            ServletRequestDetails request, RestOperationTypeEnum operation, ActorIdentity actor) {
        String name = nameOf(request.getOperation());
        String operationName = switch (operation) {
            case META -> "meta";
            case META_ADD -> "meta-add";
            case META_DELETE -> "meta-delete";
            case VALIDATE -> "validate";
            default -> name;
        };
        boolean isOperation = switch (operation) {
            case META,
                    META_ADD,
                    META_DELETE,
                    VALIDATE,
                    EXTENDED_OPERATION_SERVER,
                    EXTENDED_OPERATION_TYPE,
                    EXTENDED_OPERATION_INSTANCE -> true;
            default -> false;
        };
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameters().forEach((key, values) -> parameters.put(key, List.of(values)));
        Map<String, Set<String>> chainTargets = new LinkedHashMap<>();
        String type = request.getResourceName();
        for (String parameter : parameters.keySet()) {
            if (type != null && parameter.contains(".")) {
                chainTargets.put(parameter, chainTargets(type, parameter.substring(0, parameter.indexOf('.'))));
            }
        }
        return new RequestFacts(
                actor,
                isOperation ? RequestFacts.OPERATION : operation.getCode(),
                operationName,
                type,
                request.getId() != null && request.getId().hasIdPart(),
                countsPatientData(request),
                parameters,
                chainTargets);
    }

    /** The types a search parameter of the type can reach; none when HAPI does not know it (or it names one). */
    private Set<String> chainTargets(String type, String link) {
        if (link.contains(":")) {
            return Set.of(); // the link names its target type itself
        }
        try {
            RuntimeSearchParam searchParam =
                    fhirContext.getResourceDefinition(type).getSearchParam(link);
            return searchParam == null ? Set.of() : Set.copyOf(searchParam.getTargets());
        } catch (RuntimeException e) {
            return Set.of();
        }
    }

    /** The operation's name without its {@code $}, or null. */
    private static String nameOf(String operation) {
        return operation == null ? null : operation.startsWith("$") ? operation.substring(1) : operation;
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
