package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Every step's actor, and every professional the journey declares in {@code people}, resolved against the realm and
 * the directory before anything boots: an unknown role or organisation, or an actor no one (or several) plays.
 */
final class ActorCheck implements JourneyCheck {

    @Override
    public void check(Tree journey, Findings findings) {
        JsonNode steps = journey.root().path("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode actor = steps.get(i).path("actor");
            if (actor.isObject()) {
                report(journey.actors().issuesOf(actor), "/steps/" + i + "/actor", findings);
            }
        }
        JsonNode professionals = journey.root().path("people").path("professionals");
        for (int i = 0; i < professionals.size(); i++) {
            report(journey.actors().unknownNamesOf(professionals.get(i)), "/people/professionals/" + i, findings);
        }
    }

    private static void report(List<Actors.Issue> issues, String pointer, Findings findings) {
        for (Actors.Issue issue : issues) {
            findings.at(issue.field().isEmpty() ? pointer : pointer + "/" + issue.field(), issue.message());
        }
    }
}
