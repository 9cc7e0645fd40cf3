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
import org.ldrtestbed.scenarios.report.JourneyResult.CapabilityVerdict;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/** Writes a journey result as JSON (for tools), HTML (for people) and JUnit XML (for CI dashboards). */
public final class ReportWriter {

    public static final String JSON = "report.json";
    public static final String HTML = "report.html";
    public static final String JUNIT = "junit.xml";

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
            Path html = directory.resolve(HTML);
            Files.writeString(html, html(result), StandardCharsets.UTF_8);
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report to " + directory, e);
        }
    }

    static String json(JourneyResult result) throws IOException {
        ObjectNode root = MAPPER.valueToTree(result);
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

    static String html(JourneyResult result) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(html(result.title()))
                .append(" — ldr-testbed report</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#212b32}")
                .append("table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}")
                .append("th,td{border:1px solid #d8dde0;padding:.3rem .5rem;text-align:left;vertical-align:top}")
                .append("th{background:#f0f4f5}.PASS{color:#007f3b;font-weight:bold}")
                .append(".FAIL,.ERROR{color:#d5281b;font-weight:bold}.NOT_COVERED{color:#768692}")
                .append("code{font-size:.85em;word-break:break-all}.bg{color:#768692}")
                .append("</style></head><body>\n");
        h.append("<h1>").append(html(result.title())).append("</h1>\n");
        h.append("<p>Journey <code>")
                .append(html(result.journeyId()))
                .append("</code> from <code>")
                .append(html(result.file()))
                .append("</code>; run <code>")
                .append(html(result.runId()))
                .append("</code> against <code>")
                .append(html(result.server()))
                .append("</code>, started ")
                .append(result.started())
                .append(", took ")
                .append(result.elapsed().toMillis())
                .append(" ms. Patient NHS number <code>")
                .append(result.nhsNumber())
                .append("</code> (synthetic). Verdict: <span class=\"")
                .append(result.passed() ? "PASS\">PASS" : "FAIL\">FAIL")
                .append("</span>.</p>\n");
        if (!result.disabledFlows().isEmpty()) {
            h.append("<p><strong>Flows switched off:</strong> ")
                    .append(html(String.join(", ", result.disabledFlows())))
                    .append("</p>\n");
        }
        for (String note : result.notes()) {
            h.append("<p><em>").append(html(note)).append("</em></p>\n");
        }
        h.append("<h2>Universal Capabilities</h2>\n<table><tr><th>Capability</th><th>Verdict</th>")
                .append("<th>Assertions passed</th><th>Assertions</th></tr>\n");
        for (CapabilityVerdict v : result.capabilityVerdicts().values()) {
            h.append("<tr><td>")
                    .append(v.capability())
                    .append("</td><td class=\"")
                    .append(v.verdict())
                    .append("\">")
                    .append(v.verdict())
                    .append("</td><td>")
                    .append(v.passed())
                    .append(" / ")
                    .append(v.total())
                    .append("</td><td>");
            result.assertions()
                    .filter(a -> a.capabilities().contains(v.capability()))
                    .forEach(a -> h.append("<a href=\"#")
                            .append(html(a.id()))
                            .append("\">")
                            .append(html(a.id()))
                            .append("</a> "));
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!result.timeliness().isEmpty()) {
            h.append("<h2>Timeliness</h2>\n<p>Each flow message a step caused, on the journey's clock: from the event ")
                    .append("the flow's rule counts from (as the record says) to delivery at the recipient.</p>\n")
                    .append("<table><tr><th>Step</th><th>Flow</th><th>Measured from</th><th>Took</th><th>Rule</th>")
                    .append("<th>Verdict</th></tr>\n");
            for (JourneyResult.Timeliness t : result.timeliness()) {
                h.append("<tr><td>")
                        .append(html(t.stepId()))
                        .append("</td><td>")
                        .append(html(t.flow()))
                        .append("</td><td>")
                        .append(html(t.measuredFrom() == null ? "the write" : t.measuredFrom()))
                        .append("</td><td>")
                        .append(t.elapsed() == null ? "" : html(ConsoleReport.human(t.elapsed())))
                        .append("</td><td>")
                        .append(t.rule() == null ? "" : html(ConsoleReport.human(t.rule())))
                        .append("</td><td class=\"")
                        .append("MET".equals(t.verdict()) ? "PASS" : "FAIL")
                        .append("\">")
                        .append(html(t.verdict()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Steps</h2>\n");
        for (StepResult step : result.steps()) {
            h.append("<h3")
                    .append(step.background() ? " class=\"bg\"" : "")
                    .append(">")
                    .append(html(step.id()))
                    .append(" — ")
                    .append(html(step.title()))
                    .append(step.background() ? " (prior record)" : "")
                    .append("</h3>\n<p>")
                    .append(html(step.actor()))
                    .append(" as <code>")
                    .append(html(step.username()))
                    .append("</code>, at ")
                    .append(step.at())
                    .append(" (simulated)</p>\n");
            if (!step.assertions().isEmpty()) {
                h.append("<table><tr><th>Sees</th><th>Capabilities</th><th>Depends on flows</th>")
                        .append("<th>Verdict</th><th>Detail</th><th>Query</th></tr>\n");
                for (AssertionResult a : step.assertions()) {
                    h.append("<tr id=\"")
                            .append(html(a.id()))
                            .append("\"><td>")
                            .append(html(a.title()))
                            .append("</td><td>")
                            .append(html(String.join(", ", a.capabilities())))
                            .append("</td><td>")
                            .append(html(String.join(", ", a.flows())))
                            .append("</td><td class=\"")
                            .append(a.verdict())
                            .append("\">")
                            .append(a.verdict())
                            .append("</td><td>")
                            .append(html(a.detail()))
                            .append("</td><td><code>")
                            .append(html(a.query()))
                            .append("</code></td></tr>\n");
                }
                h.append("</table>\n");
            }
            if (!step.actions().isEmpty()) {
                h.append("<table><tr><th>Does</th><th>Result</th><th>Detail</th></tr>\n");
                for (ActionResult a : step.actions()) {
                    h.append("<tr><td>")
                            .append(html(a.title()))
                            .append("</td><td class=\"")
                            .append(a.verdict())
                            .append("\">")
                            .append(a.verdict())
                            .append("</td><td>")
                            .append(html(a.detail()))
                            .append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
        }
        h.append("<p class=\"bg\">All data is synthetic. Generated by ldr-testbed.</p>\n</body></html>\n");
        return h.toString();
    }

    private static String html(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String xml(String text) {
        return html(text).replace("'", "&apos;");
    }
}
