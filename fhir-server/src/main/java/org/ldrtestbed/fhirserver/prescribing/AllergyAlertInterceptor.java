package org.ldrtestbed.fhirserver.prescribing;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;

/**
 * The allergy alert at the point of prescribing. When a professional's write creates a MedicationRequest being
 * prescribed, {@link AllergyConflicts} checks it against the patient's allergies that this prescriber may see (as
 * {@link AllergyVisibility} says: an allergy the GP has not yet shared, or one the policy withholds, raises nothing and
 * so reveals nothing); each conflict is stored as a DetectedIssue in the same transaction and reported in the write's
 * answer as a warning (the transaction response entry's {@code outcome}, or the OperationOutcome a client asked for
 * with {@code Prefer: return=OperationOutcome}). A thin adapter: the decision is {@link AllergyConflicts}'.
 */
@Interceptor
public class AllergyAlertInterceptor {

    /** Key, in HAPI's per-request user data, of the alerts raised by this request's prescriptions. */
    private static final String ALERTS = AllergyAlertInterceptor.class.getName() + ".alerts";

    private static final int MOST = 200;

    /** Whether a prescriber may see an allergy entry: the access policy's answer for this request. */
    @FunctionalInterface
    public interface AllergyVisibility {
        boolean mayRead(IBaseResource allergy, ActorIdentity prescriber, RequestDetails request);
    }

    private final DaoRegistry daos;
    private final AllergyConflicts conflicts;
    private final AllergyVisibility visibility;
    private final Clock clock;

    public AllergyAlertInterceptor(
            DaoRegistry daos, AllergyConflicts conflicts, AllergyVisibility visibility, Clock clock) {
        this.daos = daos;
        this.conflicts = conflicts;
        this.visibility = visibility;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        if (!(resource instanceof MedicationRequest prescription) || !conflicts.isPrescribing(prescription)) {
            return;
        }
        ActorIdentity prescriber = CurrentActor.get(request).orElse(null);
        String patient = prescription.getSubject().getReferenceElement().getIdPart();
        if (prescriber == null || prescriber.practitioner() == null || patient == null) {
            return; // systems filing what others prescribed are not prescribing
        }
        List<AllergyIntolerance> visible = new ArrayList<>();
        for (IBaseResource allergy : allergiesOf(patient)) {
            if (visibility.mayRead(allergy, prescriber, request)) {
                visible.add((AllergyIntolerance) allergy);
            }
        }
        String reference = "MedicationRequest/" + prescription.getIdElement().getIdPart();
        for (AllergyConflicts.Conflict conflict : conflicts.conflicts(prescription, visible)) {
            DetectedIssue issue = AllergyConflicts.detectedIssue(
                    reference,
                    "Patient/" + patient,
                    conflict,
                    "AllergyIntolerance/" + conflict.allergy().getIdElement().getIdPart(),
                    Date.from(clock.instant()));
            String id = daos.getResourceDao(DetectedIssue.class)
                    .create(issue, new SystemRequestDetails())
                    .getId()
                    .toUnqualifiedVersionless()
                    .getValue();
            alerts(request).computeIfAbsent(reference, r -> new ArrayList<>()).add(new Alert(id, issue.getDetail()));
        }
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void answered(RequestDetails request, ResponseDetails response) {
        @SuppressWarnings("unchecked")
        Map<String, List<Alert>> raised =
                (Map<String, List<Alert>>) request.getUserData().remove(ALERTS);
        if (raised == null || raised.isEmpty()) {
            return;
        }
        if (response.getResponseResource() instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                String location = entry.getResponse().getLocation();
                raised.forEach((prescription, alerts) -> {
                    if (location != null
                            && (location.equals(prescription) || location.startsWith(prescription + "/"))) {
                        OperationOutcome outcome = entry.getResponse().getOutcome() instanceof OperationOutcome o
                                ? o
                                : new OperationOutcome();
                        alerts.forEach(a -> warn(outcome, a));
                        entry.getResponse().setOutcome(outcome);
                    }
                });
            }
        } else if (response.getResponseResource() instanceof OperationOutcome outcome) {
            raised.values().forEach(alerts -> alerts.forEach(a -> warn(outcome, a)));
        }
    }

    private static void warn(OperationOutcome outcome, Alert alert) {
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                .setCode(OperationOutcome.IssueType.BUSINESSRULE)
                .setDiagnostics("Allergy alert: " + alert.detail() + " See " + alert.detectedIssue() + ".")
                .setDetails(new org.hl7.fhir.r4.model.CodeableConcept(
                        new Coding(AllergyConflicts.ACT_CODE, "ALGY", "Allergy Alert")))
                .addExpression("MedicationRequest.medication");
    }

    private List<IBaseResource> allergiesOf(String patient) {
        SearchParameterMap map =
                SearchParameterMap.newSynchronous().add("patient", new ReferenceParam("Patient/" + patient));
        map.setLoadSynchronousUpTo(MOST);
        return daos.getResourceDao(AllergyIntolerance.class)
                .search(map, new SystemRequestDetails())
                .getResources(0, MOST);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Alert>> alerts(RequestDetails request) {
        return (Map<String, List<Alert>>) request.getUserData().computeIfAbsent(ALERTS, k -> new LinkedHashMap<>());
    }

    /** One alert raised by a request: the stored DetectedIssue and what it says. */
    private record Alert(String detectedIssue, String detail) {}
}
