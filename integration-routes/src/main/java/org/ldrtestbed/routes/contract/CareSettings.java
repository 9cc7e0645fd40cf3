package org.ldrtestbed.routes.contract;

import java.util.Optional;

/** The care setting of an organisation, e.g. {@code acute}; supplied by the directory of the hosting server. */
@FunctionalInterface
public interface CareSettings {

    Optional<String> settingOf(String odsCode);
}
