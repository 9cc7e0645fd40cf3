package org.ldrtestbed.scenarios.conformance;

import org.ldrtestbed.fhirserver.contract.Prompt;

/** Told when a run waits for a system under test (a console, a reference system acting on prompts itself). */
@FunctionalInterface
public interface PromptListener {
    void prompted(Prompt prompt);
}
