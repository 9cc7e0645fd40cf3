package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldrtestbed.scenarios.report.HeadlessChromium.count;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.report.HeadlessChromium;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.ReportWriter;

/**
 * Dot's journey replayed for real, then its report: report.json matches its schema, and the HTML, opened in headless
 * Chromium, has the timeline's lanes, the paramedic's handover arrow and the summary in words.
 */
@ExtendWith(SharedTestbed.class)
class ReportOfAReplayedJourneyIT {

    @TempDir
    Path temp;

    @Test
    void dotsReportMatchesItsSchemaAndOpensInTheBrowserWithItsTimeline(EmbeddedTestbed testbed) throws Exception {
        JourneyResult result = JourneyITSupport.replay(
                testbed, new JourneyCatalogue().find("dot").orElseThrow());
        Path page = new ReportWriter().write(result, temp.resolve("report"));

        try (InputStream schema =
                ReportWriter.class.getClassLoader().getResourceAsStream(ReportWriter.SCHEMA_LOCATION)) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                            .getSchema(schema)
                            .validate(new ObjectMapper()
                                    .readTree(page.resolveSibling(ReportWriter.JSON)
                                            .toFile())))
                    .isEmpty();
        }
        String html = Files.readString(page);
        assertThat(html)
                .contains("a — GP medications and allergies available everywhere")
                .contains("Not covered: d — GPs refer to hospital electronically (e-Referral Service): no one in")
                .contains("South Central Ambulance Service NHS Foundation Trust (synthetic)")
                .doesNotContain("%2F");

        HeadlessChromium chromium = HeadlessChromium.assumeInstalled(temp);
        String dom = chromium.dumpDom(page);
        chromium.screenshot(page, Path.of("target/report-of-dot.png"), 1400, 1200);
        assertThat(count(dom, "<g class=\"lane\"")).isGreaterThanOrEqualTo(8);
        assertThat(dom)
                .contains(">Vale of White Horse Practice<")
                .contains("data-flow=\"ambulance-handover\"")
                .contains("data-flow=\"gp-summary\"");
        assertThat(count(dom, "<g class=\"step\"")).isEqualTo(result.steps().size());
    }
}
