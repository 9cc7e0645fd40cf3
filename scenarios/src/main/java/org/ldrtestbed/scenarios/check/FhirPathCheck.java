package org.ldrtestbed.scenarios.check;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;

/**
 * Every assertion's {@code where} parsed by the FHIRPath engine HAPI evaluates it with at run time (R4's
 * {@code FHIRPathEngine}), templates standing in as values of their kind. Parsing needs no structure definitions, so
 * the engine gets a worker context that has none: HAPI's own would load them all, some ten seconds.
 */
final class FhirPathCheck implements JourneyCheck {

    private final FHIRPathEngine engine = new FHIRPathEngine(noDefinitions());

    @Override
    public void check(Tree journey, Findings findings) {
        Walk.assertionStrings(journey.root(), "where", (pointer, where) -> {
            try {
                engine.parse(StandIns.render(where));
            } catch (RuntimeException e) {
                findings.at(pointer, findings.document().valueAt(pointer), "not valid FHIRPath: " + e.getMessage());
            }
        });
    }

    /** A worker context answering every question with nothing. */
    private static IWorkerContext noDefinitions() {
        return (IWorkerContext) Proxy.newProxyInstance(
                IWorkerContext.class.getClassLoader(), new Class<?>[] {IWorkerContext.class}, (proxy, method, args) -> {
                    Class<?> type = method.getReturnType();
                    if (List.class.isAssignableFrom(type)) {
                        return new ArrayList<>();
                    }
                    if (Set.class.isAssignableFrom(type)) {
                        return new HashSet<>();
                    }
                    if (Map.class.isAssignableFrom(type)) {
                        return new HashMap<>();
                    }
                    if (type == boolean.class) {
                        return false;
                    }
                    return type == int.class ? 0 : null;
                });
    }
}
