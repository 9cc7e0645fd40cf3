package org.ldrtestbed.scenarios.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Headless Chromium for tests that open a report as a reader would. Tests assume it is installed and are skipped,
 * saying which package to install, when it is not.
 */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Path scratch;

    private HeadlessChromium(Path scratch) {
        this.scratch = scratch;
    }

    /** Chromium, or the test is skipped with the reason. */
    public static HeadlessChromium assumeInstalled(Path scratch) {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "Chromium is not installed at " + CHROMIUM + ": install the Debian package (apt-get install -y"
                        + " chromium) to run the browser check of the report");
        return new HeadlessChromium(scratch);
    }

    /** The page's DOM after Chromium has loaded and rendered it. */
    public String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    /** A screenshot of the top of the page, {@code width} × {@code height} pixels. */
    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height);
    }

    public static int count(String text, String what) {
        return (int)
                Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }

    private String run(Path page, String... what) throws IOException, InterruptedException {
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
                // A fresh profile each time: nothing carried over between runs.
                "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium-profile-")));
        command.addAll(List.of(what));
        command.add(page.toUri().toString());
        Path output = Files.createTempFile(scratch, "chromium-", ".out");
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
}
