package org.ldrtestbed.scenarios.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a rendered report in headless Chromium: the page loads, and after rendering its SVG timeline has its lanes,
 * steps and arrows. Skipped where Chromium is not installed (a fresh clone needs only a JDK).
 */
class ReportInBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Where the screenshot is left for people to look at. */
    private static final Path SCREENSHOT = Path.of("target/report-in-browser.png");

    @TempDir
    Path temp;

    @Test
    void theReportOpensInChromiumWithItsTimelineLanesAndArrows() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "Chromium is not installed at " + CHROMIUM + ": install the Debian package (apt-get install -y"
                        + " chromium) to run the browser check of the report");
        Path page = new ReportWriter().write(SampleResults.dot(), temp.resolve("report"));

        String dom = chromium(page, "--dump-dom");
        Files.createDirectories(SCREENSHOT.getParent());
        chromium(page, "--screenshot=" + SCREENSHOT.toAbsolutePath(), "--window-size=1400,1200");

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

    private String chromium(Path page, String... what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(temp, "chromium-profile-")));
        command.addAll(List.of(what));
        command.add(page.toUri().toString());
        Path output = Files.createTempFile(temp, "chromium-", ".out");
        Process chromium = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 90 s: " + command);
        }
        assertThat(chromium.exitValue()).as("Chromium's exit code").isZero();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static int count(String text, String what) {
        return (int)
                Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }
}
