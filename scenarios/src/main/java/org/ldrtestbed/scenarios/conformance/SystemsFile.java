package org.ldrtestbed.scenarios.conformance;

import java.util.List;
import java.util.Optional;
import org.ldrtestbed.routes.contract.SystemUnderTest;

/**
 * A systems file, read and checked: which organisations (or which of their flows) suppliers' systems play, and how
 * the testbed reaches them. Everything else stays simulated.
 *
 * @param journeys the journeys {@code conform} replays when given none
 */
public record SystemsFile(String name, String title, String file, List<String> journeys, List<SystemBinding> systems) {

    public SystemsFile {
        journeys = List.copyOf(journeys);
        systems = List.copyOf(systems);
    }

    /**
     * One system under test.
     *
     * @param receives flows it receives in the organisation's place
     * @param sends flows it sends in the organisation's place
     * @param endpoint where the testbed reaches it, or null when {@code reference} names a reference system instead
     * @param reference the reference system {@code conform} starts in its place, or null
     * @param roles the realm roles of the organisation's people whose steps the system sends for (an acute trust's ED
     *     system and its pharmacy system are two systems); empty: every role's
     */
    public record SystemBinding(
            String name,
            String title,
            String organisation,
            List<FlowBinding> receives,
            List<FlowBinding> sends,
            Endpoint endpoint,
            Reference reference,
            List<String> roles) {
        public SystemBinding {
            receives = List.copyOf(receives);
            sends = List.copyOf(sends);
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        /** A system standing in for every role of its organisation. */
        public SystemBinding(
                String name,
                String title,
                String organisation,
                List<FlowBinding> receives,
                List<FlowBinding> sends,
                Endpoint endpoint,
                Reference reference) {
            this(name, title, organisation, receives, sends, endpoint, reference, List.of());
        }

        /** The same system reached at that endpoint (a reference system once started). */
        public SystemBinding at(Endpoint started) {
            return new SystemBinding(name, title, organisation, receives, sends, started, reference, roles);
        }

        /** With the reference system's fault replaced. */
        public SystemBinding faulty(String fault) {
            return new SystemBinding(
                    name,
                    title,
                    organisation,
                    receives,
                    sends,
                    endpoint,
                    new Reference(reference.role(), fault),
                    roles);
        }

        /** Whether the system sends for an actor of this role (null: a patient, never). */
        public boolean sendsFor(String role) {
            return roles.isEmpty() || roles.contains(role);
        }

        /** What the run registers with the server: one entry per flow the system takes part in. */
        public List<SystemUnderTest> runBindings() {
            List<SystemUnderTest> bindings = new java.util.ArrayList<>();
            for (FlowBinding f : receives) {
                bindings.add(new SystemUnderTest(
                        name,
                        f.flow(),
                        organisation,
                        SystemUnderTest.Direction.RECEIVES,
                        f.transport(),
                        endpoint == null ? null : endpoint.address(f.transport()),
                        endpoint == null ? null : endpoint.authorization()));
            }
            for (FlowBinding f : sends) {
                // A pulled sender is reached at its FHIR base; any other sender reaches the testbed.
                boolean pulled = SystemUnderTest.GPC_STRUCTURED_RECORD.equals(f.transport());
                bindings.add(new SystemUnderTest(
                        name,
                        f.flow(),
                        organisation,
                        SystemUnderTest.Direction.SENDS,
                        f.transport(),
                        pulled && endpoint != null ? endpoint.address(f.transport()) : null,
                        pulled && endpoint != null ? endpoint.authorization() : null));
            }
            return bindings;
        }
    }

    public record FlowBinding(String flow, String transport) {}

    /**
     * @param fhirBase the system's FHIR base: where {@code fhir-rest} sends, where what it filed is read back, and
     *     where {@code gpc-structured-record} pulls from
     * @param mllp {@code host:port}
     * @param mailbox the system's MESH mailbox id at the testbed, e.g. {@code SYNG09-MBX}
     */
    public record Endpoint(String fhirBase, String mllp, String authorization, String mailbox) {

        /** An endpoint with no MESH mailbox. */
        public Endpoint(String fhirBase, String mllp, String authorization) {
            this(fhirBase, mllp, authorization, null);
        }

        /** The address for a transport, or null when the endpoint has none for it. */
        public String address(String transport) {
            return switch (transport) {
                case SystemUnderTest.FHIR_REST,
                        SystemUnderTest.PROCESS_MESSAGE,
                        SystemUnderTest.GPC_STRUCTURED_RECORD -> fhirBase;
                case SystemUnderTest.MLLP -> mllp;
                case SystemUnderTest.MESH -> mailbox;
                default -> null;
            };
        }
    }

    /** @param fault one of {@link ReferenceRoles#FAULTS}; {@code none} behaves */
    public record Reference(String role, String fault) {
        public Reference {
            fault = fault == null ? "none" : fault;
        }
    }

    public Optional<SystemBinding> system(String name) {
        return systems.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
