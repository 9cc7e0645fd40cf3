package org.ldrtestbed.fhirserver.flows;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.fhirserver.clock.RequestClock;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.ldrtestbed.routes.catalogue.FlowDispatcher.CommittedResource;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.outbox.OutboxRelay;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Starts sharing flows from writes to the shared record. Matching, checking and recording the messages happen inside
 * the write's transaction: a write a switched-on flow could never carry is refused (422 with the flow's reason) and
 * rolls back; the messages of a write that commits are in the outbox with it, so a crash cannot separate the two.
 * After the commit the outbox relay puts them on their queues; a rolled-back write never sends anything.
 */
@Interceptor
public class FlowTriggerInterceptor {

    /** Request header naming the journey run behind a write, carried into the flow's messages. */
    public static final String JOURNEY_HEADER = Headers.JOURNEY;

    /**
     * Request header giving the journey's clock at the request (ISO-8601 instant): believed only from the testbed's
     * journey client, it is "now" for what the request causes (audit, flows, alerts) and sets the run's clock.
     */
    public static final String SIMULATED_TIME_HEADER = Headers.SIMULATED_TIME;

    /** The source setting of writes a patient makes with their own token (booking, ordering repeats). */
    public static final String PATIENT_SETTING = "patient";

    private final FlowDispatcher dispatcher;
    private final CareSystemDirectory directory;
    private final OutboxRelay relay;
    private final RequestClock clock;

    public FlowTriggerInterceptor(
            FlowDispatcher dispatcher, CareSystemDirectory directory, OutboxRelay relay, RequestClock clock) {
        this.dispatcher = dispatcher;
        this.directory = directory;
        this.relay = relay;
        this.clock = clock;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        ActorIdentity actor = CurrentActor.get(request).orElse(null);
        if (actor == null || (actor.organisation() == null && actor.patient() == null)) {
            return;
        }
        // A patient writes through patient-facing services (the "patient" setting), not for an organisation.
        String setting = actor.organisation() == null
                ? PATIENT_SETTING
                : directory.settingOf(actor.organisation()).orElse(null);
        CommittedResource committed = new CommittedResource(
                resource,
                actor.organisation(),
                setting,
                request == null ? null : request.getHeader(JOURNEY_HEADER),
                null);
        if (dispatcher.triggeredBy(committed).isEmpty()) {
            return;
        }
        try {
            dispatcher.check(committed);
        } catch (InvalidMessageException e) {
            // Thrown inside the write's transaction: it rolls back, and the client gets 422 with the reason.
            throw new UnprocessableEntityException(e.getMessage());
        }
        // The messages go into the outbox inside the write's transaction: they commit, or roll back, with it.
        dispatcher.dispatch(committed.committed(clock.instant(request)));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    relay.wake();
                }
            });
        } else {
            relay.wake();
        }
    }
}
