package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;

/**
 * Times an actor's FHIR requests for a {@link ReplayTimer}, from sending to the response's headers. Registered after
 * the session's own interceptor, so getting the actor's token is not counted as FHIR time.
 */
final class FhirCallTimer implements IClientInterceptor {

    private final ReplayTimer timer;
    private final ThreadLocal<Long> sent = new ThreadLocal<>();

    FhirCallTimer(ReplayTimer timer) {
        this.timer = timer;
    }

    @Override
    public void interceptRequest(IHttpRequest request) {
        sent.set(System.nanoTime());
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
        Long started = sent.get();
        if (started != null) {
            timer.spent(ReplayTimer.Kind.FHIR_CALL, System.nanoTime() - started);
            sent.remove();
        }
    }
}
