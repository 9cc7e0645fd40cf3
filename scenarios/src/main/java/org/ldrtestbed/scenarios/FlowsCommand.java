package org.ldrtestbed.scenarios;

import java.util.concurrent.Callable;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import picocli.CommandLine.Command;

/** {@code testbed flows}: the catalogue's flows, for journey authors naming them in {@code flows:}. */
@Command(
        name = "flows",
        mixinStandardHelpOptions = true,
        description = "List the flows of the catalogue (code, capability, from → to, title): the codes a journey names"
                + " in `flows:`, `--disable-flow` and `ablate --only`. What each one files at the receiver is in"
                + " docs/flow-reference.md.")
final class FlowsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (SharingFlow flow :
                FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION).flows()) {
            System.out.printf(
                    "%-30s %-15s %-36s %s%n",
                    flow.code(),
                    flow.capability(),
                    String.join(",", flow.sourceSettings()) + " → " + flow.targetSetting(),
                    flow.title());
        }
        System.out.println("What each flow files at the receiver: docs/flow-reference.md");
        return TestbedCommand.PASSED;
    }
}
