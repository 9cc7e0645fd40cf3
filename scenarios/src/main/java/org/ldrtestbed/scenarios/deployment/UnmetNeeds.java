package org.ldrtestbed.scenarios.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.FlowDecision;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.Withheld;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.UnmetNeed;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * The "I can see…" needs a deployment profile left unmet: each assertion that failed and depends on a flow the
 * profile does not have live for the sender whose message the server held back in this run (or for every sender).
 */
public final class UnmetNeeds {

    private UnmetNeeds() {}

    public static List<UnmetNeed> of(
            List<AssertionResult> assertions,
            DeploymentProfile profile,
            List<Withheld> withheld,
            FlowCatalogue catalogue) {
        if (profile == null) {
            return List.of();
        }
        Map<String, UnmetNeed> needs = new LinkedHashMap<>();
        for (AssertionResult a : assertions) {
            if (a.verdict() == Verdict.PASS) {
                continue;
            }
            for (String code : a.flows()) {
                SharingFlow flow = catalogue.flow(code).orElse(null);
                if (flow == null) {
                    continue;
                }
                List<DeploymentProfile.Resolved> senders = new ArrayList<>();
                for (Withheld w : withheld) {
                    if (w.flow().equals(code) && FlowDecision.PROFILE.equals(w.cause())) {
                        DeploymentProfile.Resolved resolved = profile.statusOf(flow, w.organisation(), w.services());
                        // Name the sender whose message was held, even when the profile's rule covers every sender.
                        senders.add(new DeploymentProfile.Resolved(
                                resolved.availability(), w.organisation(), resolved.service()));
                    }
                }
                if (senders.isEmpty() && !profile.statusOf(flow).live()) {
                    senders.add(new DeploymentProfile.Resolved(profile.statusOf(flow), null, null));
                }
                for (DeploymentProfile.Resolved sender : senders) {
                    if (sender.availability().live()) {
                        continue;
                    }
                    needs.putIfAbsent(
                            String.join(
                                    "|", a.stepId(), a.id(), code, "" + sender.organisation(), "" + sender.service()),
                            new UnmetNeed(
                                    a.stepId(),
                                    a.id(),
                                    a.title(),
                                    flow.capability(),
                                    code,
                                    sender.organisation(),
                                    sender.service(),
                                    sender.availability().status(),
                                    sender.availability().planned(),
                                    sender.availability().note()));
                }
            }
        }
        return List.copyOf(needs.values());
    }
}
