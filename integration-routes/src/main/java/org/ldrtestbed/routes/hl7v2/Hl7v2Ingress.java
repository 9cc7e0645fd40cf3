package org.ldrtestbed.routes.hl7v2;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.ldrtestbed.routes.catalogue.FlowDispatcher.FlowSender;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.FlowDecision;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.sut.SutExchanges;

/**
 * Accepts HL7v2 messages from hospital systems (over MLLP) and answers each with an ACK. A message is acknowledged
 * AA only once it is on its flow's durable queue; a message that can never be carried (unparseable, no flow for its
 * type, unknown sending facility, content its flow's translator refuses) is rejected AR with the reason, which also
 * goes with the message to the dead-letter queue. Every message and its ACK are kept as an exchange with a system
 * under test ({@link SutExchange#FROM_SUT}), matched to the run its MSH-10 names or the run following its patient.
 */
public final class Hl7v2Ingress {

    /** Flow code used in the log for messages no flow could be chosen for. */
    public static final String UNROUTED = "hl7v2-unrouted";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Hl7v2Ingress.class);

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final FlowCatalogue catalogue;
    private final FlowSwitches switches;
    private final Function<String, Optional<String>> settingOf;
    private final Map<String, Function<String, String>> validators;
    private final FlowSender queue;
    private final FlowSender deadLetters;
    private final MessageLog log;
    private final RunClock clock;
    private final SutExchanges exchanges;

    /**
     * @param settingOf the care setting of an ODS code, from the directory
     * @param validators per flow code: checks a message as its flow will translate it, returning the NHS number
     * @param queue puts an accepted message on its flow's queue
     * @param deadLetters puts a rejected message on the dead-letter queue
     * @param clock the server's clock and the runs' (a message of a run's patient is on the run's clock)
     */
    public Hl7v2Ingress(
            FlowCatalogue catalogue,
            FlowSwitchboard switchboard,
            Function<String, Optional<String>> settingOf,
            Map<String, Function<String, String>> validators,
            FlowSender queue,
            FlowSender deadLetters,
            MessageLog log,
            RunClock clock) {
        this(
                catalogue,
                FlowSwitches.serverWide(switchboard, catalogue),
                settingOf,
                validators,
                queue,
                deadLetters,
                log,
                clock);
    }

    /**
     * @param switches the server-wide switches and each run's: a message belongs to the run following its patient
     */
    public Hl7v2Ingress(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            Function<String, Optional<String>> settingOf,
            Map<String, Function<String, String>> validators,
            FlowSender queue,
            FlowSender deadLetters,
            MessageLog log,
            RunClock clock) {
        this(catalogue, switches, settingOf, validators, queue, deadLetters, log, clock, SutExchanges.none());
    }

    /**
     * @param switches the server-wide switches and each run's: a message belongs to the run its MSH-10 names (a
     *     prompt asks a system under test for {@code {run}-{n}}), else to the run following its patient
     * @param exchanges keeps each message and its ACK, as an exchange with a system under test
     */
    public Hl7v2Ingress(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            Function<String, Optional<String>> settingOf,
            Map<String, Function<String, String>> validators,
            FlowSender queue,
            FlowSender deadLetters,
            MessageLog log,
            RunClock clock,
            SutExchanges exchanges) {
        this.catalogue = catalogue;
        this.switches = switches;
        this.settingOf = settingOf;
        this.validators = Map.copyOf(validators);
        this.queue = queue;
        this.deadLetters = deadLetters;
        this.log = log;
        this.clock = clock;
        this.exchanges = exchanges;
    }

    /** Takes one message (ER7 text) and returns the ACK to send back, keeping both as an exchange. */
    public String accept(String er7) {
        return accept(er7, null);
    }

    /**
     * As {@link #accept(String)}, from a known peer.
     *
     * @param peer the sender's address as the listener saw it ({@code host:port}), or null
     */
    public String accept(String er7, String peer) {
        Msh msh = Msh.read(er7);
        Map<String, Object> headers = new HashMap<>();
        String ack = answer(er7, msh, headers);
        try {
            keep(er7, msh, headers, ack, peer);
        } catch (RuntimeException e) {
            // The sender is owed its ACK whatever befalls the record of the exchange.
            LOG.warn("Could not keep the exchange of HL7v2 message {}: {}", msh.controlId(), e.toString());
        }
        return ack;
    }

    private String answer(String er7, Msh msh, Map<String, Object> headers) {
        headers.put(FlowHeaders.MESSAGE_ID, UUID.randomUUID().toString());
        headers.put(FlowHeaders.FLOW, UNROUTED);
        if (msh.facility() != null) {
            headers.put(FlowHeaders.SOURCE_ORGANISATION, msh.facility());
        }
        try {
            if (msh.type() == null) {
                throw new InvalidMessageException("not an HL7v2 message: no MSH segment with a message type (MSH-9)");
            }
            SharingFlow flow = catalogue.flows().stream()
                    .filter(f ->
                            f.trigger() != null && f.trigger().hl7v2Events().contains(msh.type()))
                    .findFirst()
                    .orElseThrow(() -> new InvalidMessageException("no flow carries " + msh.type() + " messages"));
            headers.put(FlowHeaders.FLOW, flow.code());
            String setting = settingOf
                    .apply(msh.facility() == null ? "" : msh.facility())
                    .orElseThrow(() -> new InvalidMessageException("unknown sending facility (MSH-4) '" + msh.facility()
                            + "': not an ODS code of the directory"));
            if (!flow.sendsFrom(setting)) {
                throw new InvalidMessageException("sending facility " + msh.facility() + " is " + setting + "; "
                        + flow.code() + " carries messages from " + String.join(", ", flow.sourceSettings()));
            }
            String nhsNumber =
                    validators.getOrDefault(flow.code(), message -> null).apply(er7);
            if (nhsNumber != null) {
                headers.put(FlowHeaders.NHS_NUMBER, nhsNumber);
                headers.put(FlowHeaders.GROUP, nhsNumber);
            }
            headers.put(FlowHeaders.COMMITTED_AT, clock.wall().millis());
            if (flow.timelinessPath() != null) {
                // As FlowDispatcher does for FHIR: timeliness counts from the event the message reports (EVN-2).
                Optional<String> from = Hl7v2Time.field(er7, flow.timelinessPath());
                if (from.isPresent()) {
                    headers.put(
                            FlowHeaders.TIMELINESS_FROM,
                            Hl7v2Time.parse(from.get(), flow.timelinessPath()).toString());
                }
            }
            // HL7v2 carries no run id: the message belongs to the run its id names (a system under test prompted
            // for it), else to the run that follows its patient, if one does.
            String run = runOf(msh, nhsNumber);
            if (run != null && nhsNumber != null) {
                // A message a run's id names is that run's patient's, or it is refused: a system under test that
                // got the patient wrong must not file into whoever else has that NHS number.
                Set<String> follows =
                        switches.of(run).map(RunSwitches::nhsNumbers).orElse(Set.of());
                if (!follows.isEmpty() && !follows.contains(nhsNumber)) {
                    throw new InvalidMessageException("MSH-10 names run " + run + ", whose patient is not NHS number "
                            + nhsNumber + " (PID-3): refused, nothing filed");
                }
            }
            if (run != null) {
                headers.put(FlowHeaders.JOURNEY, run);
            }
            // MLLP names no client to trust with a time: the message is on its run's clock as the run's own
            // (trusted) requests last set it, else on the wall clock.
            headers.put(FlowHeaders.RUN_CLOCK_AT, clock.now(run).toEpochMilli());
            FlowDecision decision = switches.carry(flow.code(), run, msh.facility(), List.of());
            if (!decision.carried()) {
                // As for FHIR writes: the hospital's system is answered, but nothing is carried on.
                return ack(msh, "AA", "accepted; " + decision.reason() + ", so it is not shared");
            }
            queue.send(flow, er7, headers);
            log.record(Stage.RECEIVED, headers, "received over MLLP, queued on " + flow.queue());
            return ack(msh, "AA", null);
        } catch (InvalidMessageException e) {
            headers.put(FlowHeaders.DEAD_LETTER_REASON, "rejected at receipt: " + e.getMessage());
            deadLetters.send(null, er7, headers);
            log.record(Stage.DEAD_LETTERED, headers, "rejected at receipt (ACK AR): " + e.getMessage());
            return ack(msh, "AR", e.getMessage());
        }
    }

    private String runOf(Msh msh, String nhsNumber) {
        return switches.runOfMessageId(msh.controlId())
                .or(() -> switches.runOfPatient(nhsNumber))
                .orElse(null);
    }

    /** Keeps the message and its ACK as an exchange of the run it belongs to, with the run's sender bound to it. */
    private void keep(String er7, Msh msh, Map<String, Object> headers, String ack, String peer) {
        Object routed = headers.get(FlowHeaders.FLOW);
        String flow = routed == null || UNROUTED.equals(routed) ? null : routed.toString();
        String nhsNumber = headers.get(FlowHeaders.NHS_NUMBER) instanceof String n ? n : patientId(er7);
        String run = headers.get(FlowHeaders.JOURNEY) instanceof String r ? r : runOf(msh, nhsNumber);
        String system = switches.of(run)
                .map(RunSwitches::systemsUnderTest)
                .flatMap(bound -> bound.stream()
                        .filter(s -> s.direction() == SystemUnderTest.Direction.SENDS
                                && s.flow().equals(flow)
                                && s.organisation().equals(msh.facility()))
                        .findFirst())
                .map(SystemUnderTest::system)
                .orElse(null);
        exchanges.record(new SutExchange(
                0,
                run,
                system,
                flow,
                headers.get(FlowHeaders.MESSAGE_ID) instanceof String id ? id : null,
                SutExchange.FROM_SUT,
                SystemUnderTest.MLLP,
                peer,
                nhsNumber,
                er7,
                null,
                ack,
                null,
                null,
                clock.now(run)));
    }

    /** PID-3's first identifier, read without a full parse, for a message its flow could not read. */
    static String patientId(String er7) {
        if (er7 == null) {
            return null;
        }
        for (String segment : er7.split("[\r\n]+")) {
            if (segment.startsWith("PID") && segment.length() > 4) {
                String[] fields = segment.split(java.util.regex.Pattern.quote(String.valueOf(segment.charAt(3))), -1);
                if (fields.length > 3 && !fields[3].isBlank()) {
                    // The repetition that is an NHS number (a trust's own number often comes first); else none.
                    String[] repetitions = fields[3].split("~");
                    for (String repetition : repetitions) {
                        String id = repetition.split("\\^")[0];
                        if (org.ldrtestbed.identity.contract.NhsNumber.isValid(id)) {
                            return id;
                        }
                    }
                    // None valid: the first as it came, to say what was refused, if it fits the log's column.
                    String first = repetitions[0].split("\\^")[0];
                    return first.isBlank() || first.length() > 16 ? null : first;
                }
            }
        }
        return null;
    }

    private String ack(Msh msh, String code, String text) {
        String now = ZonedDateTime.now(clock.wall().withZone(Hl7v2Time.UK)).format(TS);
        String trigger = msh.type() == null || !msh.type().contains("^")
                ? ""
                : msh.type().split("\\^")[1];
        String control = msh.controlId() == null ? "" : msh.controlId();
        return "MSH|^~\\&|LDR-TESTBED|SYNMX|" + nz(msh.application()) + "|" + nz(msh.facility()) + "|" + now
                + "||ACK^" + trigger + "^ACK|ACK-" + control + "|P|2.4\r"
                + "MSA|" + code + "|" + clean(control) + (text == null ? "" : "|" + clean(text)) + "\r";
    }

    private static String nz(String value) {
        return value == null ? "" : clean(value);
    }

    /** HL7v2 escape sequences, so a reason can quote a message type like ADT^A01 inside an ACK field. */
    static String clean(String text) {
        return text.replace("\\", "\\E\\")
                .replace("|", "\\F\\")
                .replace("^", "\\S\\")
                .replace("&", "\\T\\")
                .replace("~", "\\R\\")
                .replaceAll("[\\r\\n]+", " ");
    }

    /** The header fields needed to route and acknowledge, read without a full parse (which may fail). */
    record Msh(String application, String facility, String type, String controlId) {
        static Msh read(String er7) {
            if (er7 == null) {
                return new Msh(null, null, null, null);
            }
            String first = er7.split("[\r\n]+", 2)[0];
            if (!first.startsWith("MSH") || first.length() < 8) {
                return new Msh(null, null, null, null);
            }
            String separator = String.valueOf(first.charAt(3));
            List<String> fields = List.of(first.split(java.util.regex.Pattern.quote(separator), -1));
            // fields[0] is "MSH", so fields[i] is MSH-(i+1).
            String type = field(fields, 8);
            return new Msh(
                    component(field(fields, 2)),
                    component(field(fields, 3)),
                    type == null
                            ? null
                            : String.join(
                                    "^", List.of(type.split("\\^")).subList(0, Math.min(2, type.split("\\^").length))),
                    field(fields, 9));
        }

        private static String field(List<String> fields, int index) {
            return index < fields.size() && !fields.get(index).isBlank() ? fields.get(index) : null;
        }

        private static String component(String field) {
            return field == null ? null : field.split("\\^")[0];
        }
    }
}
