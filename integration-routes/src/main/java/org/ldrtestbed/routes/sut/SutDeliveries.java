package org.ldrtestbed.routes.sut;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Decides, for a flow route, whether a translated message goes to a supplier's system under test instead of the
 * shared record (its run binds a system receiving that flow for the message's recipient), and sends it over that
 * system's transport. Plain Java.
 */
public final class SutDeliveries {

    private final Function<String, Optional<RunSwitches>> runs;
    private final Function<String, Optional<RunSwitches>> ended;
    private final Map<String, SutTransport> transports;
    private final SutExchanges exchanges;

    /**
     * @param runs a run's switches by run id, with the systems under test it binds
     * @param transports the transports the testbed can send over
     */
    public SutDeliveries(Function<String, Optional<RunSwitches>> runs, List<SutTransport> transports) {
        this(runs, transports, SutExchanges.none());
    }

    /** @param exchanges what was sent to systems under test, to know a message once sent to one */
    public SutDeliveries(
            Function<String, Optional<RunSwitches>> runs, List<SutTransport> transports, SutExchanges exchanges) {
        this(runs, run -> Optional.empty(), transports, exchanges);
    }

    /** @param ended an ended run's switches, where it bound systems under test to receive */
    public SutDeliveries(
            Function<String, Optional<RunSwitches>> runs,
            Function<String, Optional<RunSwitches>> ended,
            List<SutTransport> transports,
            SutExchanges exchanges) {
        this.ended = ended;
        this.exchanges = exchanges;
        this.runs = runs;
        this.transports = transports.stream().collect(Collectors.toUnmodifiableMap(SutTransport::name, t -> t));
    }

    /** No run binds a system under test: every message is filed in the shared record. */
    public static SutDeliveries none() {
        return new SutDeliveries(run -> Optional.empty(), List.of());
    }

    /** The transports the testbed can send a receiving system's messages over. */
    public Set<String> transports() {
        return transports.keySet();
    }

    /**
     * The system under test that receives this translated message in its run, if the run binds one for the flow and
     * the message's recipient. Only a {@link WireMessage} can be sent to a system under test.
     */
    public Optional<SystemUnderTest> receiverOf(String run, String flow, Object translated) {
        if (!(translated instanceof WireMessage message) || run == null) {
            return Optional.empty();
        }
        // The recipient may take a read of the record to name: only asked for where the run binds a receiver.
        return runs.apply(run)
                .filter(switches -> switches.systemsUnderTest().stream()
                        .anyMatch(s -> s.direction() == SystemUnderTest.Direction.RECEIVES
                                && s.flow().equals(flow)))
                .flatMap(switches -> switches.receiver(flow, message.recipient()));
    }

    /**
     * Whether a message was already sent to a system under test of a run that has since ended (a retry after the run,
     * or a redelivery after a restart): it must not be filed in the shared record instead.
     */
    public boolean sentToAnEndedRunsSystem(String run, String messageId) {
        if (run == null || messageId == null || runs.apply(run).isPresent()) {
            return false;
        }
        if (exchanges.wasSent(run, messageId)) {
            return true;
        }
        // Every page: a long run keeps more exchanges than one answers.
        long after = 0;
        while (true) {
            List<SutExchange> page = exchanges.ofRun(run, after);
            if (page.isEmpty()) {
                return false;
            }
            if (page.stream()
                    .anyMatch(e -> SutExchange.TO_SUT.equals(e.direction()) && messageId.equals(e.messageId()))) {
                return true;
            }
            if (page.getLast().sequence() <= after) {
                return false;
            }
            after = page.getLast().sequence();
        }
    }

    /**
     * Whether the message's run has ended having bound a system under test to receive it (a message still in flight
     * when the run ended): it must not be filed in the shared record instead.
     */
    public boolean boundToAnEndedRunsSystem(String run, String flow, Object translated) {
        if (!(translated instanceof WireMessage message)
                || run == null
                || runs.apply(run).isPresent()) {
            return false;
        }
        return ended.apply(run)
                .filter(switches -> switches.systemsUnderTest().stream()
                        .anyMatch(s -> s.direction() == SystemUnderTest.Direction.RECEIVES
                                && s.flow().equals(flow)))
                .flatMap(switches -> switches.receiver(flow, message.recipient()))
                .isPresent();
    }

    /** Sends the message to the system over its transport; returns what happened, for the message log. */
    public String deliver(SystemUnderTest system, SutTransport.Outgoing message) {
        SutTransport transport = transports.get(system.transport());
        if (transport == null) {
            // Registration refuses such a binding; a message bound before a restart with fewer transports still ends.
            throw new InvalidMessageException(
                    "the testbed cannot send to " + system.system() + " over " + system.transport());
        }
        if (message.run() != null && message.messageId() != null) {
            // Durably, before anything goes out: the testbed may die before the attempt is answered and recorded.
            exchanges.sending(message.run(), message.messageId());
        }
        return transport.send(system, message);
    }

    /**
     * Refuses a run's bindings the testbed could not honour: a receiving system over a transport the testbed does not
     * speak, of a flow whose route cannot send to a system under test over that transport, or over a transport that
     * cannot carry the flow.
     *
     * @param deliversToSut whether a flow's route can send its messages to a system under test, by flow code and
     *     transport
     * @throws IllegalArgumentException naming the binding
     */
    public void check(RunSwitches switches, BiPredicate<String, String> deliversToSut) {
        for (SystemUnderTest system : switches.systemsUnderTest()) {
            if (system.direction() != SystemUnderTest.Direction.RECEIVES) {
                continue;
            }
            if (!transports.containsKey(system.transport())) {
                throw new IllegalArgumentException("system under test " + system.system() + " is bound to receive "
                        + system.flow() + " over " + system.transport() + ", but the testbed sends only over "
                        + String.join(
                                ", ", transports.keySet().stream().sorted().toList()));
            }
            if (!deliversToSut.test(system.flow(), system.transport())) {
                throw new IllegalArgumentException("system under test " + system.system() + " is bound to receive "
                        + system.flow() + " for " + system.organisation()
                        + ", but that flow's route cannot deliver to a system under test over " + system.transport());
            }
            if (!transports.get(system.transport()).carries(system.flow())) {
                throw new IllegalArgumentException("system under test " + system.system() + " is bound to receive "
                        + system.flow() + " over " + system.transport() + ", but that flow cannot go over "
                        + system.transport());
            }
            transports.get(system.transport()).check(system);
        }
    }
}
