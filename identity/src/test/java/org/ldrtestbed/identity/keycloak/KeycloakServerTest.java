package org.ldrtestbed.identity.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unpacking half of {@link KeycloakServer}; running a real Keycloak is fhir-server's KeycloakTokenIT. */
class KeycloakServerTest {

    @TempDir
    Path dir;

    @Test
    void unpacksOnceAndMakesTheLaunchScriptsExecutable() throws Exception {
        Path zip = zip("keycloak-0.0.0/bin/kc.sh", "keycloak-0.0.0/lib/app.jar");
        Path work = dir.resolve("work");

        Path home = KeycloakServer.unpack(zip, work);

        assertThat(home).isEqualTo(work.toAbsolutePath().resolve("keycloak-0.0.0"));
        assertThat(Files.isExecutable(home.resolve("bin/kc.sh"))).isTrue();
        assertThat(home.resolve("lib/app.jar")).hasContent("keycloak-0.0.0/lib/app.jar");

        Files.writeString(home.resolve("lib/app.jar"), "kept");
        KeycloakServer.unpack(zip, work);
        assertThat(home.resolve("lib/app.jar"))
                .as("a complete unpacking is reused")
                .hasContent("kept");
    }

    @Test
    void refusesEntriesThatEscapeTheWorkDirectory() throws Exception {
        Path zip = zip("keycloak-0.0.0/bin/kc.sh", "keycloak-0.0.0/../../escaped.sh");

        assertThatThrownBy(() -> KeycloakServer.unpack(zip, dir.resolve("work")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("outside");
    }

    private Path zip(String... entries) throws IOException {
        Path zip = dir.resolve("dist.zip");
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (String entry : entries) {
                out.putNextEntry(new ZipEntry(entry));
                out.write(entry.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }
}
