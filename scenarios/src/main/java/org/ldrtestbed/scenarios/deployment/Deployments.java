package org.ldrtestbed.scenarios.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The deployment profiles shipped under {@code deployments/} on the classpath, by name; or a profile file by path. */
public final class Deployments {

    public static final String PATTERN = "classpath*:deployments/*.deployment.yaml";

    private final DeploymentLoader loader;

    public Deployments(DeploymentLoader loader) {
        this.loader = loader;
    }

    public Deployments() {
        this(new DeploymentLoader());
    }

    /** Every shipped profile, loaded and validated. */
    public List<DeploymentProfile> all() {
        List<DeploymentProfile> profiles = new ArrayList<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(PATTERN)) {
                String url = resource.getURL().toString();
                profiles.add(loader.load(
                        url.substring(url.lastIndexOf("deployments/")),
                        resource.getContentAsString(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list deployment profiles", e);
        }
        return profiles;
    }

    /** A shipped profile by name, or a profile file by path. */
    public Optional<DeploymentProfile> find(String nameOrPath) {
        Path path = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") && Files.isRegularFile(path)) {
            return Optional.of(loader.load(path));
        }
        return all().stream().filter(p -> p.name().equals(nameOrPath)).findFirst();
    }

    /** The names of the shipped profiles. */
    public List<String> names() {
        return all().stream().map(DeploymentProfile::name).toList();
    }
}
