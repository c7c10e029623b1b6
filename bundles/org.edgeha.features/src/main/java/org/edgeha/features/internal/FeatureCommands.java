package org.edgeha.features.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.edgeha.features.api.FeatureException;
import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code feature:} Gogo scope. Every command answers with text; a refused install or an unknown feature gets
 * one line saying why, never a stack trace. Commands block until the operation is done. Each command carries Gogo's
 * {@code @Descriptor} ({@code help feature:install}); wrong or missing arguments reach a {@code String...} overload
 * that prints the usage (docs/ARCHITECTURE.md, "Shell commands").
 */
@Component(service = FeatureCommands.class, property = {
        "osgi.command.scope=feature",
        "osgi.command.function=list",
        "osgi.command.function=info",
        "osgi.command.function=install",
        "osgi.command.function=remove"
})
public class FeatureCommands {

    static final String LIST_USAGE = "usage: feature:list (no arguments)";
    static final String INFO_USAGE = "usage: feature:info <id>   e.g. feature:info examples";
    static final String INSTALL_USAGE = "usage: feature:install <file|groupId:artifactId:version|name>"
            + "   e.g. feature:install /opt/features/examples.json";
    static final String REMOVE_USAGE = "usage: feature:remove <id>   (the full id, groupId:artifactId, or the artifactId)";
    private static final String WRONG = "Wrong or missing arguments: prints the usage";
    private static final String AS_TYPED = "the arguments as typed";

    private final FeatureManager features;
    /** The distro's features ({@link FeatureCatalog#BUILTIN_PROPERTY}), or {@code null}. */
    private final String builtIn;

    /** For tests of the commands alone: no built-in features. */
    public FeatureCommands(FeatureManager features) {
        this(null, features);
    }

    @Activate
    public FeatureCommands(BundleContext context, @Reference FeatureManager features) {
        this.features = features;
        this.builtIn = context == null ? null : context.getProperty(FeatureCatalog.BUILTIN_PROPERTY);
    }

    /** {@code feature:list}: every feature the gateway knows, with its state. */
    @Descriptor("Lists every feature this gateway knows, with name, version and state: built-in (the distro was built"
            + " from it), installed (at run time: feature:install, deploy/, remote), available (a feature file in the"
            + " repository, not installed). Example: feature:list")
    public String list() {
        List<InstalledFeature> installed = features.list();
        // The repository folders are the feature manager's (same bundle): its configuration decides them.
        List<Path> roots = features instanceof FeatureManagerImpl m ? m.repositoryRoots() : List.of();
        Path home = features instanceof FeatureManagerImpl m ? m.home() : Path.of("").toAbsolutePath();
        return FeatureCatalog.table(FeatureCatalog.entries(builtIn, installed, roots, home));
    }

    /** {@code feature:list} with arguments: the usage. */
    @Descriptor(WRONG)
    public String list(@Descriptor(AS_TYPED) String... wrong) {
        return LIST_USAGE;
    }

    /** {@code feature:info <id>}: one feature's bundles and configurations. */
    @Descriptor("Shows one installed feature: name, origin, bundles, the bundles it installed, configurations."
            + " Example: feature:info examples")
    public String info(@Descriptor("<id> the feature's id, groupId:artifactId, or artifactId (feature:list)") String id) {
        return features.find(id).map(f -> String.join(System.lineSeparator(),
                "id              " + f.id(),
                "name            " + f.name(),
                "from            " + f.origin(),
                "bundles         " + f.bundles(),
                "installed by it " + f.ownedBundles(),
                "configurations  " + f.configurations())).orElse("feature:info: no installed feature " + id);
    }

    /** {@code feature:info} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String info(@Descriptor(AS_TYPED) String... wrong) {
        return INFO_USAGE;
    }

    /** {@code feature:install <file|groupId:artifactId:version>}: installs or updates a feature. */
    @Descriptor("Installs or updates a feature from a Feature JSON file or by id from the repository (an EdgeHA"
            + " feature by its name alone: logging); a refusal says why and changes nothing."
            + " Example: feature:install /opt/features/examples.json")
    public String install(@Descriptor("<file|groupId:artifactId:version|name> a Feature JSON file, a feature id, or"
            + " the name of an EdgeHA feature in the repository (logging)")
            String fileOrId) {
        try {
            Path file = Path.of(fileOrId);
            InstalledFeature f;
            if (Files.isRegularFile(file)) {
                f = features.install(file);
            } else if (fileOrId.contains(":") || fileOrId.matches("[A-Za-z0-9._-]+")) {
                f = features.install(fileOrId); // an id, or an EdgeHA feature's name (logging)
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

    /** {@code feature:install} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String install(@Descriptor(AS_TYPED) String... wrong) {
        return INSTALL_USAGE;
    }

    /** {@code feature:remove <id>}: removes a feature and the bundles only it needed. */
    @Descriptor("Removes a feature, the bundles only it installed, then its configurations. Example: feature:remove"
            + " examples")
    public String remove(@Descriptor("<id> the feature's id, groupId:artifactId, or artifactId (feature:list)") String id) {
        try {
            InstalledFeature f = features.remove(id);
            return "removed " + f.id() + "; configurations deleted: " + f.configurations();
        } catch (FeatureException e) {
            return "feature:remove: " + e.getMessage();
        }
    }

    /** {@code feature:remove} with wrong or missing arguments: the usage. */
    @Descriptor(WRONG)
    public String remove(@Descriptor(AS_TYPED) String... wrong) {
        return REMOVE_USAGE;
    }
}
