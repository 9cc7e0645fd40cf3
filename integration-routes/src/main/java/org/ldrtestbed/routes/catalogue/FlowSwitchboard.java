package org.ldrtestbed.routes.catalogue;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * Which flows are switched on. Switching a flow off is how a digital lead sees what breaks when a capability is
 * missing: the source still writes, but nothing is sent.
 */
public final class FlowSwitchboard {

    private final FlowCatalogue catalogue;
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();

    public FlowSwitchboard(FlowCatalogue catalogue, Collection<String> initiallyDisabled) {
        this.catalogue = catalogue;
        initiallyDisabled.forEach(code -> disable(code));
    }

    public boolean isEnabled(String code) {
        return !disabled.contains(code);
    }

    public void disable(String code) {
        disabled.add(known(code));
    }

    public void enable(String code) {
        disabled.remove(known(code));
    }

    public Set<String> disabled() {
        return Set.copyOf(disabled);
    }

    private String known(String code) {
        return catalogue
                .flow(code)
                .map(SharingFlow::code)
                .orElseThrow(() -> new IllegalArgumentException("No flow with code '" + code + "' in the catalogue"));
    }
}
