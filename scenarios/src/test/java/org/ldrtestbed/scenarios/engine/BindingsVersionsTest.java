package org.ldrtestbed.scenarios.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BindingsVersionsTest {

    private final Bindings bindings = new Bindings("patient", "9990000018", "run", (kind, code) -> "Organization/1");

    @Test
    void theVersionIsTheLatestWrittenOrRead() {
        assertThat(bindings.version("Task/1")).isNull();
        bindings.versionSeen("Task/1", "1");
        bindings.versionSeen("Task/1", "3");
        // A history read of an older version is not what the run last saw of the entry now.
        bindings.versionSeen("Task/1", "2");
        bindings.versionSeen("Task/1", null);
        bindings.versionSeen("Task/1", "W/\"9\"");

        assertThat(bindings.version("Task/1")).isEqualTo("3");
        assertThat(bindings.version("Task/2")).isNull();
    }
}
