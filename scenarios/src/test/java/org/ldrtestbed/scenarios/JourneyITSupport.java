package org.ldrtestbed.scenarios;

import ca.uhn.fhir.context.FhirContext;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.engine.JourneyRunner;
import org.ldrtestbed.scenarios.engine.RunSettings;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.report.ConsoleReport;
import org.ldrtestbed.scenarios.report.JourneyResult;

/** Replays a journey against the shared testbed and prints its table, as the main job does. */
final class JourneyITSupport {

    private JourneyITSupport() {}

    static JourneyResult replay(EmbeddedTestbed testbed, Journey journey) throws InterruptedException {
        JourneyRunner runner = new JourneyRunner(
                FhirContext.forR4Cached(),
                testbed.connection(),
                testbed.realm(),
                testbed.flows().disabled());
        JourneyResult result = runner.run(journey);
        new ConsoleReport().print(result, System.out);
        return result;
    }

    /** The same, with the run's own switches (as {@code run --disable-capability/--deployment} gives them). */
    static JourneyResult replay(EmbeddedTestbed testbed, Journey journey, RunSettings settings)
            throws InterruptedException {
        JourneyRunner runner = new JourneyRunner(
                FhirContext.forR4Cached(),
                testbed.connection(),
                testbed.realm(),
                testbed.flows().disabled(),
                settings);
        JourneyResult result = runner.run(journey);
        new ConsoleReport().print(result, System.out);
        return result;
    }
}
