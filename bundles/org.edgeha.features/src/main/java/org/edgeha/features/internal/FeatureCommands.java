package org.edgeha.features.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.edgeha.features.api.FeatureException;
import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code feature:} Gogo scope. Every command answers with text; a refused install or an unknown feature gets
 * one line saying why, never a stack trace. Commands block until the operation is done.
 */
@Component(service = FeatureCommands.class, property = {
        "osgi.command.scope=feature",
        "osgi.command.function=list",
        "osgi.command.function=info",
        "osgi.command.function=install",
        "osgi.command.function=remove"
})
public class FeatureCommands {

    private final FeatureManager features;

    @Activate
    public FeatureCommands(@Reference FeatureManager features) {
        this.features = features;
    }

    /** {@code feature:list}: the installed features. */
    public String list() {
        List<InstalledFeature> all = features.list();
        if (all.isEmpty()) {
            return "no feature installed at run time";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-44s %7s %7s %7s  %s%n", "ID", "BUNDLES",
                "OWN", "CONFIGS", "FROM"));
        for (InstalledFeature f : all) {
            out.append(String.format(Locale.ROOT, "%-44s %7d %7d %7d  %s%n", f.id(), f.bundles().size(),
                    f.ownedBundles().size(), f.configurations().size(), f.origin()));
        }
        return out.toString();
    }

    /** {@code feature:info <id>}: one feature's bundles and configurations. */
    public String info(String id) {
        return features.find(id).map(f -> String.join(System.lineSeparator(),
                "id              " + f.id(),
                "name            " + f.name(),
                "from            " + f.origin(),
                "bundles         " + f.bundles(),
                "installed by it " + f.ownedBundles(),
                "configurations  " + f.configurations())).orElse("feature:info: no installed feature " + id);
    }

    /** {@code feature:install <file|groupId:artifactId:version>}: installs or updates a feature. */
    public String install(String fileOrId) {
        try {
            Path file = Path.of(fileOrId);
            InstalledFeature f;
            if (Files.isRegularFile(file)) {
                f = features.install(file);
            } else if (fileOrId.contains(":")) {
                f = features.install(fileOrId);
            } else {
                return "feature:install: " + fileOrId + " is neither a file nor a feature id groupId:artifactId:version";
            }
            return "installed " + f.id() + ": bundles " + f.bundles() + " (installed now or by features: "
                    + f.ownedBundles() + "), configurations " + f.configurations();
        } catch (FeatureException e) {
            return "feature:install: " + e.getMessage();
        } catch (RuntimeException e) {
            return "feature:install: " + e;
        }
    }

    /** {@code feature:remove <id>}: removes a feature and the bundles only it needed. */
    public String remove(String id) {
        try {
            InstalledFeature f = features.remove(id);
            return "removed " + f.id() + "; configurations deleted: " + f.configurations();
        } catch (FeatureException e) {
            return "feature:remove: " + e.getMessage();
        }
    }
}
