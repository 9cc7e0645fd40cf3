package org.ldrtestbed.scenarios.conformance;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.conformance.SystemsFile.Endpoint;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.engine.TestbedConnection;
import org.ldrtestbed.scenarios.sut.Fault;
import org.ldrtestbed.scenarios.sut.ReferenceAcuteEpr;
import org.ldrtestbed.scenarios.sut.ReferenceBarsReceiver;
import org.ldrtestbed.scenarios.sut.ReferenceGpSystem;
import org.ldrtestbed.scenarios.sut.ReferencePas;

/**
 * The reference systems a systems file names instead of endpoints, started for one {@code conform} session: the GP
 * practice system and the ambulance service system on free ports (each one's FHIR base becomes the binding's
 * endpoint, and the GP system's MLLP listener its {@code mllp} one; where the GP system receives over {@code mesh}, it also polls its organisation's mailbox at the testbed with
 * the realm's {@value #GP_CLIENT} client), the acute PAS sending to the testbed's MLLP port and acting on the session's
 * prompts as they come. Closing stops them.
 */
public final class ReferenceSystems implements AutoCloseable {

    /** A reference system's MESH mailbox at the testbed is its organisation's: {@code <ODS>-MBX}. */
    static final String MAILBOX_SUFFIX = "-MBX";

    /** The realm's system client of SYNG09, the GP practice the reference GP system plays. */
    static final String GP_CLIENT = "gp-clinical-system";

    static final String GP_CLIENT_SECRET = "gp-clinical-system-synthetic-secret";

    /** The realm's system client of SYNAC, the acute trust the reference acute EPR plays. */
    static final String ACUTE_CLIENT = "acute-integration";

    static final String ACUTE_CLIENT_SECRET = "acute-integration-synthetic-secret";

    /** How often the reference EPR asks for prompts: a step waits for it at most this long before it acts. */
    static final java.time.Duration EPR_POLL = java.time.Duration.ofMillis(250);

    private final List<SystemBinding> systems;
    private final List<AutoCloseable> started;
    private final ExecutorService acting;

    private ReferenceSystems(List<SystemBinding> systems, List<AutoCloseable> started, ExecutorService acting) {
        this.systems = List.copyOf(systems);
        this.started = started;
        this.acting = acting;
    }

    /**
     * @param prompts where a started sender listens for the session's prompts
     */
    public static ReferenceSystems start(
            List<SystemBinding> systems, TestbedConnection testbed, Consumer<PromptListener> prompts, PrintStream out) {
        List<SystemBinding> reachable = new ArrayList<>();
        List<AutoCloseable> started = new ArrayList<>();
        // A prompt is acted on off the engine's thread: the engine is waiting for what the system sends.
        ExecutorService acting = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reference-systems");
            t.setDaemon(true);
            return t;
        });
        try {
            for (SystemBinding system : systems) {
                if (system.reference() == null) {
                    reachable.add(system);
                    continue;
                }
                Fault fault = Fault.named(system.reference().fault());
                switch (system.reference().role()) {
                    case ReferenceRoles.GP_PRACTICE -> {
                        ReferenceGpSystem gp =
                                new ReferenceGpSystem(0, fault).seedDefault().start();
                        started.add(gp);
                        String mailbox = pollsMesh(system) ? system.organisation() + MAILBOX_SUFFIX : null;
                        if (mailbox != null) {
                            TokenClient tokens = new TokenClient(testbed.issuer());
                            gp.pollingMesh(
                                    root(testbed.fhirBase()),
                                    () -> tokens.forClient(GP_CLIENT, GP_CLIENT_SECRET),
                                    mailbox);
                        }
                        reachable.add(system.at(new Endpoint(gp.baseUrl(), gp.mllpAddress(), null, mailbox)));
                        if (isPulled(system)) {
                            // The practice records what it is asked to before the testbed pulls: at once, in memory.
                            prompts.accept(prompt -> {
                                if (prompt.system().equals(system.name())) {
                                    try {
                                        gp.record(prompt);
                                    } catch (RuntimeException e) {
                                        out.println("  " + system.name() + " could not record: " + e.getMessage());
                                    }
                                }
                            });
                        }
                        out.printf(
                                "Reference GP practice system %s (fault %s) at %s, MLLP %s%s%n",
                                system.name(),
                                fault.cliName(),
                                gp.baseUrl(),
                                gp.mllpAddress(),
                                mailbox == null ? "" : ", polling MESH mailbox " + mailbox);
                    }
                    case ReferenceRoles.AMBULANCE_SERVICE -> {
                        ReferenceBarsReceiver ambulance = new ReferenceBarsReceiver(0, fault).start();
                        started.add(ambulance);
                        reachable.add(system.at(new Endpoint(ambulance.baseUrl(), null, null)));
                        out.printf(
                                "Reference ambulance service system %s (fault %s) at %s%n",
                                system.name(), fault.cliName(), ambulance.baseUrl());
                    }
                    case ReferenceRoles.ACUTE_PAS -> {
                        if (testbed.mllp() == null) {
                            throw new IllegalStateException(
                                    "the testbed has no MLLP endpoint for " + system.name() + " to send to");
                        }
                        ReferencePas pas = new ReferencePas(
                                testbed.mllp().getHost(), testbed.mllp().getPort(), fault);
                        started.add(pas);
                        reachable.add(system);
                        prompts.accept(prompt -> {
                            if (prompt.system().equals(system.name())) {
                                acting.execute(() -> {
                                    try {
                                        pas.act(prompt);
                                    } catch (Exception e) {
                                        out.println("  " + system.name() + " could not send: " + e.getMessage());
                                    }
                                });
                            }
                        });
                        out.printf(
                                "Reference acute PAS %s (fault %s) sending to %s%n",
                                system.name(), fault.cliName(), testbed.mllp());
                    }
                    case ReferenceRoles.ACUTE_EPR -> {
                        // It follows the prompts API over HTTP with its own client, as a supplier's system would.
                        ReferenceAcuteEpr epr = new ReferenceAcuteEpr(testbed.fhirBase(), fault)
                                .pollingEvery(EPR_POLL)
                                .reportingTo(line -> out.println("  " + system.name() + ": " + line));
                        started.add(epr);
                        TokenClient tokens = new TokenClient(testbed.issuer());
                        Thread.ofPlatform()
                                .daemon()
                                .name("reference-epr-" + system.name())
                                .start(() -> epr.follow(
                                        root(testbed.fhirBase()),
                                        () -> tokens.forClient(ACUTE_CLIENT, ACUTE_CLIENT_SECRET),
                                        system.name()));
                        reachable.add(system);
                        out.printf(
                                "Reference acute EPR %s (fault %s) following the prompts at %s, posting to %s%n",
                                system.name(), fault.cliName(), root(testbed.fhirBase()), testbed.fhirBase());
                    }
                    default ->
                        throw new IllegalArgumentException("no reference system for role "
                                + system.reference().role());
                }
            }
        } catch (RuntimeException e) {
            new ReferenceSystems(reachable, started, acting).close();
            throw e;
        }
        return new ReferenceSystems(reachable, started, acting);
    }

    private static boolean isPulled(SystemBinding system) {
        return system.sends().stream().anyMatch(f -> SystemUnderTest.GPC_STRUCTURED_RECORD.equals(f.transport()));
    }

    private static boolean pollsMesh(SystemBinding system) {
        return system.receives().stream().anyMatch(f -> SystemUnderTest.MESH.equals(f.transport()));
    }

    /** The testbed's root, above its FHIR base ({@code http://host:port/fhir}). */
    static URI root(URI fhirBase) {
        String base = fhirBase.toString().replaceAll("/+$", "");
        return URI.create(base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base);
    }

    /** The session's systems, each with where the testbed reaches it. */
    public List<SystemBinding> systems() {
        return systems;
    }

    @Override
    public void close() {
        acting.shutdownNow();
        for (AutoCloseable system : started.reversed()) {
            try {
                system.close();
            } catch (Exception e) {
                // Stopping a reference system that already failed is not the session's failure.
            }
        }
    }
}
