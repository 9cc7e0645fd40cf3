package org.ldrtestbed.scenarios.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ldrtestbed.scenarios.conformance.ConformanceReport.CapabilityReport;
import org.ldrtestbed.scenarios.conformance.ConformanceReport.SystemReport;
import org.ldrtestbed.scenarios.report.CapabilityNames;

/**
 * Writes a conformance report as {@code conformance.json} (described by {@code systems/conformance.schema.json}),
 * {@code conformance.html} for people and {@code junit.xml} for the supplier's CI (a suite per system, a case per
 * check: FAIL a failure, BLOCKED and NOT_TESTED skipped).
 */
public final class ConformanceReportWriter {

    public static final String JSON = "conformance.json";
    public static final String HTML = "conformance.html";
    public static final String JUNIT = "junit.xml";
    public static final String SCHEMA_LOCATION = "systems/conformance.schema.json";

    private static final CapabilityNames NAMES = CapabilityNames.load();

    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the three files into {@code directory}; returns the HTML page's path. */
    public Path write(ConformanceReport report, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(JSON), json(report), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve(JUNIT), junit(report), StandardCharsets.UTF_8);
            Path page = directory.resolve(HTML);
            Files.writeString(page, html(report), StandardCharsets.UTF_8);
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the conformance report to " + directory, e);
        }
    }

    public static String json(ConformanceReport report) throws IOException {
        return MAPPER.writeValueAsString(report);
    }

    static String junit(ConformanceReport report) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites name=\"conformance ")
                .append(x(report.systemsFile()))
                .append("\">\n");
        for (SystemReport system : report.systems()) {
            List<ConformanceCheck> checks = system.capabilities().stream()
                    .flatMap(c -> c.checks().stream())
                    .toList();
            long failures = checks.stream()
                    .filter(c -> c.verdict().equals(ConformanceCheck.FAIL))
                    .count();
            long skipped = checks.stream()
                    .filter(c -> c.verdict().equals(ConformanceCheck.BLOCKED)
                            || c.verdict().equals(ConformanceCheck.NOT_TESTED))
                    .count();
            xml.append("  <testsuite name=\"")
                    .append(x(system.name()))
                    .append("\" tests=\"")
                    .append(checks.size())
                    .append("\" failures=\"")
                    .append(failures)
                    .append("\" skipped=\"")
                    .append(skipped)
                    .append("\" errors=\"0\">\n");
            for (ConformanceCheck c : checks) {
                xml.append("    <testcase classname=\"")
                        .append(x(system.name() + "." + c.capability()))
                        .append("\" name=\"")
                        .append(x(c.journey() + " " + (c.step() == null ? "" : c.step() + " ") + c.flow() + " "
                                + c.check()))
                        .append("\">");
                switch (c.verdict()) {
                    case ConformanceCheck.FAIL ->
                        xml.append("<failure message=\"")
                                .append(x(c.reason()))
                                .append("\">")
                                .append(x(issues(c)))
                                .append("</failure>");
                    case ConformanceCheck.BLOCKED, ConformanceCheck.NOT_TESTED ->
                        xml.append("<skipped message=\"")
                                .append(x(c.verdict() + ": " + c.reason()))
                                .append("\"/>");
                    default -> xml.append("<system-out>").append(x(c.reason())).append("</system-out>");
                }
                xml.append("</testcase>\n");
            }
            xml.append("  </testsuite>\n");
        }
        return xml.append("</testsuites>\n").toString();
    }

    static String html(ConformanceReport report) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.append("<title>Conformance: ")
                .append(x(report.title()))
                .append("</title><style>")
                .append("body{font-family:Arial,sans-serif;margin:1.5rem;color:#212b32}")
                .append("table{border-collapse:collapse;width:100%;font-size:.92rem;margin:.5rem 0 1.2rem}")
                .append("th,td{border:1px solid #d8dde0;padding:.3rem .5rem;text-align:left;vertical-align:top}")
                .append(
                        "th{background:#f0f4f5}.PASS{color:#007f3b;font-weight:bold}.FAIL{color:#d5281b;font-weight:bold}")
                .append(".BLOCKED{color:#ed8b00;font-weight:bold}.NOT_TESTED{color:#768692}")
                .append("code{font-size:.85em;word-break:break-all}</style></head><body>\n");
        h.append("<h1>Conformance: ").append(x(report.title())).append("</h1>\n");
        h.append("<p>Systems file <code>")
                .append(x(report.systemsFile()))
                .append("</code>, session <code>")
                .append(x(report.session()))
                .append("</code>, against ")
                .append(x(report.server()))
                .append(". Verdict: <span class=\"")
                .append(report.verdict())
                .append("\">")
                .append(report.verdict())
                .append("</span>. Synthetic data only.</p>\n<h2>Journeys</h2><ul>\n");
        report.journeys()
                .forEach(j -> h.append("<li>")
                        .append(x(j.journey()))
                        .append(" (run <code>")
                        .append(x(j.runId()))
                        .append("</code>): journey ")
                        .append(j.passed() ? "passed" : "did not pass")
                        .append(j.report() == null ? "" : ", <a href=\"" + x(j.report()) + "\">report</a>")
                        .append("</li>\n"));
        h.append("</ul>\n");
        for (SystemReport s : report.systems()) {
            h.append("<h2>")
                    .append(x(s.name()))
                    .append(" — ")
                    .append(x(s.title() == null ? "" : s.title()))
                    .append("</h2>\n<p>In ")
                    .append(x(s.organisation()))
                    .append("'s place")
                    .append(
                            s.reference() == null
                                    ? ""
                                    : "; reference system " + x(s.reference()) + ", fault " + x(s.fault()))
                    .append(". Verdict: <span class=\"")
                    .append(s.verdict())
                    .append("\">")
                    .append(s.verdict())
                    .append("</span></p>\n<table><tr><th>Capability</th><th>Journey</th><th>Step</th><th>Flow</th>")
                    .append("<th>Check</th><th>Verdict</th><th>Why</th></tr>\n");
            for (CapabilityReport c : s.capabilities()) {
                for (ConformanceCheck k : c.checks()) {
                    h.append("<tr><td>")
                            .append(x(NAMES.label(c.capability())))
                            .append("</td><td>")
                            .append(x(k.journey()))
                            .append("</td><td>")
                            .append(x(k.step() == null ? "" : k.step()))
                            .append("</td><td>")
                            .append(x(k.flow()))
                            .append("</td><td>")
                            .append(x(k.check()))
                            .append("</td><td class=\"")
                            .append(k.verdict())
                            .append("\">")
                            .append(k.verdict())
                            .append("</td><td>")
                            .append(x(k.reason()));
                    if (!k.issues().isEmpty()) {
                        h.append("<ul>");
                        k.issues()
                                .forEach(i -> h.append("<li>")
                                        .append(x(i.severity()))
                                        .append(" at <code>")
                                        .append(x(i.location()))
                                        .append("</code>: ")
                                        .append(x(i.message()))
                                        .append("</li>"));
                        h.append("</ul>");
                    }
                    h.append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String issues(ConformanceCheck c) {
        StringBuilder s = new StringBuilder();
        c.issues()
                .forEach(i -> s.append(i.severity())
                        .append(" at ")
                        .append(i.location())
                        .append(": ")
                        .append(i.message())
                        .append('\n'));
        return s.toString();
    }

    private static String x(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
