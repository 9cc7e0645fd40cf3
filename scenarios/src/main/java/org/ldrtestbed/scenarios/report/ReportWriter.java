package org.ldrtestbed.scenarios.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Writes a journey result as JSON (for tools; {@code report/report.schema.json} describes it), HTML (for people,
 * from the templates under {@code report/}) and JUnit XML (for CI dashboards).
 */
public final class ReportWriter {

    public static final String JSON = "report.json";
    public static final String HTML = "report.html";
    public static final String JUNIT = "junit.xml";

    /** Version of report.json's shape; raised when a field changes meaning or goes away. */
    public static final int FORMAT_VERSION = 1;

    public static final String SCHEMA_LOCATION = "report/report.schema.json";

    private final HtmlReport html;

    public ReportWriter() {
        this(HtmlReport.standard());
    }

    public ReportWriter(HtmlReport html) {
        this.html = html;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the three files into {@code directory} (created if needed); returns the HTML report's path. */
    public Path write(JourneyResult result, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(JSON), json(result), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(JUNIT), junit(result), StandardCharsets.UTF_8);
            Path page = directory.resolve(HTML);
            Files.writeString(page, html.journey(result), StandardCharsets.UTF_8);
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report to " + directory, e);
        }
    }

    static String json(JourneyResult result) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format-version", FORMAT_VERSION);
        root.setAll((ObjectNode) MAPPER.valueToTree(result));
        root.put("passed", result.passed());
        root.set("capabilities", MAPPER.valueToTree(result.capabilityVerdicts().values()));
        return MAPPER.writeValueAsString(root);
    }

    static String junit(JourneyResult result) {
        List<AssertionResult> assertions = result.assertions().toList();
        List<ActionResult> actions = result.actions().toList();
        long failures =
                assertions.stream().filter(a -> a.verdict() == Verdict.FAIL).count();
        long errors = assertions.stream()
                        .filter(a -> a.verdict() == Verdict.ERROR)
                        .count()
                + actions.stream().filter(a -> a.verdict() != Verdict.PASS).count();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format(
                Locale.ROOT,
                "<testsuite name=\"journey.%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\""
                        + " timestamp=\"%s\">%n",
                xml(result.journeyId()),
                assertions.size() + actions.size(),
                failures,
                errors,
                result.elapsed().toMillis() / 1000.0,
                result.started()));
        for (StepResult step : result.steps()) {
            String className = result.journeyId() + "." + step.id();
            for (ActionResult action : step.actions()) {
                xml.append("  <testcase classname=\"")
                        .append(xml(className))
                        .append("\" name=\"does: ")
                        .append(xml(action.title()))
                        .append("\">");
                if (action.verdict() != Verdict.PASS) {
                    xml.append("<error message=\"").append(xml(action.detail())).append("\"/>");
                }
                xml.append("</testcase>\n");
            }
            for (AssertionResult a : step.assertions()) {
                xml.append(String.format(
                        Locale.ROOT,
                        "  <testcase classname=\"%s\" name=\"%s [%s]\" time=\"%.3f\">",
                        xml(className),
                        xml(a.id() + ": " + a.title()),
                        xml(String.join(",", a.capabilities())),
                        a.millis() / 1000.0));
                if (a.verdict() == Verdict.FAIL) {
                    xml.append("<failure message=\"")
                            .append(xml(a.detail()))
                            .append("\">")
                            .append(xml(a.query()))
                            .append("</failure>");
                } else if (a.verdict() == Verdict.ERROR) {
                    xml.append("<error message=\"").append(xml(a.detail())).append("\"/>");
                }
                xml.append("</testcase>\n");
            }
        }
        return xml.append("</testsuite>\n").toString();
    }

    private static String escaped(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String xml(String text) {
        return escaped(text).replace("'", "&apos;");
    }
}
