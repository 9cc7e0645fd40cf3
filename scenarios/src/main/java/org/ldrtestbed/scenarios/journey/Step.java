package org.ldrtestbed.scenarios.journey;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One actor's turn in a journey: first what they see, then what they do.
 *
 * @param index position in the journey (0-based), for locating the step in its file
 * @param id stable id, unique in the journey
 * @param title short title
 * @param description optional longer text
 * @param background true for the prior record, false for the journey's own steps
 * @param at offset from the journey start
 * @param actor who acts
 * @param capabilities capability letters the step verifies as a whole (each assertion names its own too)
 * @param does the actor's actions, in order
 * @param sees the actor's assertions, in order
 * @param breakGlass the reason the actor gives for emergency access in this step, or null for direct care
 */
public record Step(
        int index,
        String id,
        String title,
        String description,
        boolean background,
        Duration at,
        Actor actor,
        Set<String> capabilities,
        List<Action> does,
        List<Sees> sees,
        String breakGlass) {

    public Step {
        capabilities = Set.copyOf(capabilities);
        does = List.copyOf(does);
        sees = List.copyOf(sees);
    }

    /** The refusals its actions must meet: assertions too, made after its sees, as the actions run. */
    public List<Refusal> refusals() {
        return does.stream().map(Action::refused).filter(r -> r != null).toList();
    }

    /** JSON pointer of this step in its file. */
    public String pointer() {
        return "/steps/" + index;
    }

    /**
     * A role at an organisation, or a named user (patients).
     *
     * @param role testbed role, e.g. {@code paramedic}
     * @param organisation ODS code, absent for patients
     * @param user realm username, to pick one of several matches or to name a patient
     */
    public record Actor(String role, String organisation, String user) {

        public String display() {
            String who = user != null ? role + " " + user : role;
            return organisation != null ? who + " @ " + organisation : who;
        }
    }

    /**
     * A resource to write, optionally labelled so later templates can reference it.
     *
     * @param recordedAt when the entry was recorded, as an offset from the journey start (the file's
     *     {@code recorded-at}): its {{now}}, and what timeliness counts from when the flow names no moment; null for
     *     the step's time
     */
    public record LabelledResource(String label, ObjectNode resource, Duration recordedAt) {

        public LabelledResource(String label, ObjectNode resource) {
            this(label, resource, null);
        }
    }

    /** What an actor does; each type maps onto one engine class. */
    public sealed interface Action permits Write, SendDocument, SendHl7v2, Update, Patch {
        String title();

        /** What the server must refuse of it (the file's {@code expect: {refused: ...}}), or null: it must succeed. */
        default Refusal refused() {
            return null;
        }
    }

    /**
     * A write the server must refuse, an assertion of its own: the policy's refusal (403 with its reason code) or a
     * flow's (422, reason {@code flow}).
     *
     * @param index position of the action within the step's does list
     * @param id stable id, unique in the journey among assertions
     * @param title what must be refused, in the actor's words, or null for the action's title
     * @param reason the refusal's reason code: a denial reason of the access policy, or {@code flow}
     * @param capabilities capability letters it verifies
     * @param flows for a flow's refusal, the flows that must refuse it (switching one off lets the write through)
     */
    public record Refusal(
            int index, String id, String title, String reason, Set<String> capabilities, Set<String> flows) {

        /** The reason code of a write a flow refuses as one it could never carry. */
        public static final String FLOW = "flow";

        public Refusal {
            capabilities = Set.copyOf(capabilities);
            flows = Set.copyOf(flows);
        }
    }

    /**
     * A labelled entry replaced in full (PUT), guarded by the version this run last wrote or read of it.
     *
     * @param label the entry, written earlier in the run
     * @param resource the whole new resource (its id is the label's)
     * @param refused what the server must refuse, or null
     */
    public record Update(String title, String label, ObjectNode resource, Refusal refused) implements Action {}

    /**
     * A JSON Patch of a labelled entry, guarded by the version this run last wrote or read of it.
     *
     * @param operations the RFC 6902 operations, with templates in their values
     * @param refused what the server must refuse, or null
     */
    public record Patch(String title, String label, ArrayNode operations, Refusal refused) implements Action {}

    /**
     * Resources recorded as one atomic transaction.
     *
     * @param title what is recorded
     * @param resources the resources, in order
     */
    public record Write(String title, List<LabelledResource> resources, Refusal refused) implements Action {
        public Write {
            resources = List.copyOf(resources);
        }

        public Write(String title, List<LabelledResource> resources) {
            this(title, resources, null);
        }
    }

    /**
     * A FHIR document sent by the actor's system; the server's flows carry it on.
     *
     * @param title what is sent
     * @param flow catalogue flow expected to carry it
     * @param label label for the stored document Bundle
     * @param composition the document's Composition
     * @param resources the document's other entries
     */
    public record SendDocument(
            String title,
            String flow,
            String label,
            ObjectNode composition,
            List<LabelledResource> resources,
            Refusal refused)
            implements Action {
        public SendDocument {
            resources = List.copyOf(resources);
        }

        public SendDocument(
                String title, String flow, String label, ObjectNode composition, List<LabelledResource> resources) {
            this(title, flow, label, composition, resources, null);
        }
    }

    /**
     * An HL7v2 message the actor's hospital system sends over MLLP.
     *
     * @param title what is sent
     * @param flow catalogue flow expected to carry it
     * @param message ER7 text, one segment a line, with templates
     */
    public record SendHl7v2(String title, String flow, String message) implements Action {}

    /**
     * An assertion made with the actor's own token.
     *
     * @param index position within the step's sees list
     * @param id stable id, unique in the journey
     * @param title what the actor can see, in their words
     * @param capabilities capability letters it verifies
     * @param flows catalogue flows it depends on
     * @param query FHIR search relative to the base, with templates
     * @param where FHIRPath each matched resource must satisfy to count, optional
     * @param expect how many must count
     * @param patience how long to keep asking (the file's {@code wait}), for asynchronous flows
     */
    public record Sees(
            int index,
            String id,
            String title,
            Set<String> capabilities,
            Set<String> flows,
            String query,
            String where,
            Expect expect,
            Duration patience) {
        public Sees {
            capabilities = Set.copyOf(capabilities);
            flows = Set.copyOf(flows);
        }

        /** The same assertion, checked once instead of waited for. */
        public Sees withoutWaiting() {
            return new Sees(index, id, title, capabilities, flows, query, where, expect, Duration.ZERO);
        }
    }

    /**
     * Bounds on the number of counted resources (absent bounds do not apply), and optionally the reason the server
     * must give for withholding what the actor may not see (a denial; no bounds then means none is seen).
     */
    public record Expect(Integer count, Integer min, Integer max, String withheld) {

        public Expect(Integer count, Integer min, Integer max) {
            this(count, min, max, null);
        }

        public boolean isMetBy(int n) {
            boolean unbounded = count == null && min == null && max == null;
            if (unbounded && withheld != null) {
                return n == 0;
            }
            return (count == null || n == count) && (min == null || n >= min) && (max == null || n <= max);
        }

        /** True when nothing may be seen: such an assertion cannot fail when a flow is off. */
        public boolean isNegative() {
            boolean unbounded = count == null && min == null && max == null;
            return (unbounded && withheld != null) || (count != null && count == 0) || (max != null && max == 0);
        }

        public String describe() {
            String bounds = bounds();
            return withheld == null ? bounds : bounds + ", withheld for reason " + withheld;
        }

        private String bounds() {
            if (count == null && min == null && max == null) {
                return "none";
            }
            if (count != null) {
                return "exactly " + count;
            }
            if (min != null && max != null) {
                return "between " + min + " and " + max;
            }
            return min != null ? "at least " + min : "at most " + max;
        }
    }
}
