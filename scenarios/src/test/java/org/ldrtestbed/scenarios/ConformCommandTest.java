package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformCommandTest {

    @TempDir
    Path dir;

    @Test
    void aMissingIgPackageIsExit2NamingTheFileBeforeAnythingBoots() {
        Path missing = dir.resolve("uk-core-2.0.1.tgz");
        CommandOutcome refusal =
                CommandOutcome.execute("conform", "--systems", "dot-reference", "--ig", missing.toString());

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err().lines()).singleElement().asString().startsWith("--ig " + missing);
    }

    @Test
    void aFileThatIsNotAPackageIsExit2NamingTheFile() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.tgz"), "not a FHIR package");
        CommandOutcome refusal =
                CommandOutcome.execute("conform", "--systems", "dot-reference", "--ig", notes.toString());

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains(notes.toString()).doesNotContain("Exception");
    }
}
