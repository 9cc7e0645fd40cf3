package org.ldrtestbed.scenarios.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.report.JourneyResult.CapabilityVerdict;
import org.ldrtestbed.scenarios.report.JourneyResult.UnmetNeed;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Several journeys' capability verdicts side by side: one row per capability, one column per journey, each cell
 * counting only that journey's evidence for the capability (or saying why the journey does not cover it).
 *
 * @param created when the runs began
 * @param passed true when every journey passed
 * @param journeys the columns, in the order they ran
 * @param capabilities the rows
 */
@JsonPropertyOrder({"format-version", "created", "passed", "journeys", "capabilities"})
public record CapabilityMatrix(Instant created, boolean passed, List<Column> journeys, List<Row> capabilities) {

    public static final String HTML = "matrix.html";
    public static final String JSON = "matrix.json";

    /** One journey's run and where its own report is, relative to the matrix. */
    public record Run(JourneyResult result, String report) {}

    public record Column(
            String journeyId,
            String title,
            String runId,
            String deployment,
            boolean passed,
            long held,
            long assertions,
            String report,
            List<UnmetNeed> unmetNeeds,
            @JsonIgnore List<JourneyReportView.UnmetNeedRow> unmetNeedsInWords) {}

    public record Row(String code, String name, List<Cell> journeys) {}

    /** @param notCovered why the journey does not cover the capability, when it says so */
    public record Cell(String journeyId, String verdict, int passed, int total, String notCovered) {}

    public CapabilityMatrix {
        journeys = List.copyOf(journeys);
        capabilities = List.copyOf(capabilities);
    }

    @JsonProperty("format-version")
    public int formatVersion() {
        return ReportWriter.FORMAT_VERSION;
    }

    public static CapabilityMatrix of(
            List<Run> runs, CapabilityNames names, CareSystemNames places, FlowCatalogue catalogue, Instant created) {
        List<Column> columns = new ArrayList<>();
        for (Run run : runs) {
            JourneyResult r = run.result();
            columns.add(new Column(
                    r.journeyId(),
                    r.title(),
                    r.runId(),
                    r.deployment(),
                    r.passed(),
                    r.assertions().filter(a -> a.verdict() == Verdict.PASS).count(),
                    r.assertions().count(),
                    run.report(),
                    r.unmetNeeds(),
                    JourneyReportView.unmetNeedRows(r, places, names, catalogue)));
        }
        List<Row> rows = new ArrayList<>();
        for (String capability : JourneyResult.CAPABILITIES) {
            List<Cell> cells = new ArrayList<>();
            for (Run run : runs) {
                CapabilityVerdict v = run.result().capabilityVerdicts().get(capability);
                cells.add(new Cell(
                        run.result().journeyId(),
                        v.verdict().name(),
                        v.passed(),
                        v.total(),
                        run.result().notCovered().get(capability)));
            }
            rows.add(new Row(capability, names.name(capability), cells));
        }
        return new CapabilityMatrix(
                created, runs.stream().allMatch(r -> r.result().passed()), columns, rows);
    }

    /** When the runs began, in UK local time. */
    @JsonIgnore
    public String createdLocally() {
        return LocalTimes.full(created);
    }

    /** Whether any journey's deployment profile left a need unmet. */
    @JsonIgnore
    public boolean anyUnmetNeeds() {
        return journeys.stream().anyMatch(j -> !j.unmetNeeds().isEmpty());
    }

    /** How many journeys show each capability, for the template's last column. */
    @JsonIgnore
    public List<String> coverage() {
        return capabilities.stream()
                .map(row -> row.journeys().stream()
                                .filter(c -> !Verdict.NOT_COVERED.name().equals(c.verdict()))
                                .count()
                        + " of " + journeys.size())
                .toList();
    }

    /** Writes matrix.html and matrix.json into {@code directory}; returns the HTML's path. */
    public Path write(Path directory, HtmlReport html) {
        try {
            Files.createDirectories(directory);
            Files.writeString(
                    directory.resolve(JSON),
                    new ObjectMapper()
                            .registerModule(new JavaTimeModule())
                            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(this),
                    StandardCharsets.UTF_8);
            Path page = directory.resolve(HTML);
            Files.writeString(page, html.matrix(this), StandardCharsets.UTF_8);
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the capability matrix to " + directory, e);
        }
    }
}
