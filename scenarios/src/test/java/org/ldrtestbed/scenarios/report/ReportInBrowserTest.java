package org.ldrtestbed.scenarios.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldrtestbed.scenarios.report.HeadlessChromium.count;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a rendered report in headless Chromium: the page loads, and after rendering its SVG timeline has its lanes,
 * steps and arrows. Skipped where Chromium is not installed (a fresh clone needs only a JDK).
 */
class ReportInBrowserTest {

    /** Where the screenshot is left for people to look at. */
    private static final Path SCREENSHOT = Path.of("target/report-in-browser.png");

    @TempDir
    Path temp;

    @Test
    void theReportOpensInChromiumWithItsTimelineLanesAndArrows() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.assumeInstalled(temp);
        Path page = new ReportWriter().write(SampleResults.dot(), temp.resolve("report"));

        String dom = chromium.dumpDom(page);
        chromium.screenshot(page, SCREENSHOT, 1400, 1200);

        assertThat(dom).contains("<svg").contains("id=\"swimlanes\"");
        assertThat(count(dom, "<g class=\"lane\"")).isEqualTo(6);
        assertThat(dom)
                .contains(">South Central Ambulance Service<")
                .contains(">NHS Foundation Trust<")
                .contains(">Shared care record<");
        assertThat(count(dom, "<g class=\"step\"")).isEqualTo(6);
        assertThat(count(dom, "<line class=\"flow MET\"")).isEqualTo(2);
        assertThat(count(dom, "<line class=\"flow LATE\"")).isEqualTo(1);
        assertThat(count(dom, "<line class=\"flow NOT_DELIVERED\"")).isEqualTo(1);
        BufferedImage shot = ImageIO.read(SCREENSHOT.toFile());
        assertThat(shot.getWidth()).isEqualTo(1400);
        assertThat(shot.getHeight()).isEqualTo(1200);
    }
}
