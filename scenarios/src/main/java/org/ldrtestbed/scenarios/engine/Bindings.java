package org.ldrtestbed.scenarios.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ldrtestbed.scenarios.engine.Templates.TemplateException;

/**
 * What a journey run has learnt: the references of labelled resources it wrote, the subject's NHS number, and
 * directory entries looked up on the server under test.
 */
public final class Bindings {

    private final String patientLabel;
    private final String nhsNumber;
    private String standsInFor;
    private final DirectoryLookup lookup;
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    private final Map<String, String> directory = new ConcurrentHashMap<>();
    /** Reference → the latest version this run wrote or read of it, for If-Match on updates and patches. */
    private final Map<String, Long> versions = new ConcurrentHashMap<>();

    private java.time.Instant journeyStart;

    private final String runId;

    public Bindings(String patientLabel, String nhsNumber, String runId, DirectoryLookup lookup) {
        this.patientLabel = patientLabel;
        this.nhsNumber = nhsNumber;
        this.runId = runId;
        this.lookup = lookup;
    }

    public String runId() {
        return runId;
    }

    public String patientLabel() {
        return patientLabel;
    }

    /** The journey's own NHS number when this run follows a fresh one instead, else null. */
    public String standsInFor() {
        return standsInFor;
    }

    void standsInFor(String journeyNhsNumber) {
        this.standsInFor = journeyNhsNumber;
    }

    public String nhsNumber() {
        return nhsNumber;
    }

    public String patientReference() {
        String reference = labels.get(patientLabel);
        if (reference == null) {
            throw new TemplateException(
                    "{{patient}} used before the Patient (label '" + patientLabel + "') was written");
        }
        return reference;
    }

    public String labelled(String label) {
        String reference = labels.get(label);
        if (reference == null) {
            throw new TemplateException("no resource labelled '" + label + "' has been written yet");
        }
        return reference;
    }

    public void bind(String label, String reference) {
        if (labels.putIfAbsent(label, reference) != null) {
            throw new TemplateException("label '" + label + "' is written twice in this run");
        }
    }

    /** The version of an entry this run last wrote or read, or null when it has seen none. */
    public String version(String reference) {
        Long version = versions.get(reference);
        return version == null ? null : version.toString();
    }

    /** The run wrote or read this version of an entry; an older one (a history read) changes nothing. */
    void versionSeen(String reference, String version) {
        if (reference == null || version == null || !version.matches("[0-9]{1,18}")) {
            return;
        }
        versions.merge(reference, Long.parseLong(version), Math::max);
    }

    /** The journey's start, that entries' {@code recorded-at} offsets count from. */
    public java.time.Instant journeyStart() {
        return journeyStart;
    }

    void journeyStart(java.time.Instant start) {
        this.journeyStart = start;
    }

    /** {@code kind} is org, location or practitioner; the answer is cached for the run. */
    public String directory(String kind, String code) {
        return directory.computeIfAbsent(kind + ":" + code, k -> lookup.find(kind, code));
    }

    /** The acting user's directory entries, as references (null where the user has none). */
    public record ActorEntries(String practitioner, String organisation) {}

    /** Finds a directory entry on the server under test by its identifier. */
    @FunctionalInterface
    public interface DirectoryLookup {
        String find(String kind, String code);
    }
}
