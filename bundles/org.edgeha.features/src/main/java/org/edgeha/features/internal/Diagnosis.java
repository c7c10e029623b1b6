package org.edgeha.features.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/** Says why bundles did not resolve, naming each requirement nobody provides. */
final class Diagnosis {

    private Diagnosis() {
    }

    /**
     * @param bundles the bundles that were to resolve together
     * @param added those of them just installed (they may be started once to get the framework's own reason)
     * @return for each unresolved bundle, its symbolic name and version and what it is missing
     */
    static String unresolved(FrameworkWiring wiring, List<Bundle> bundles, List<Bundle> added) {
        return unresolved(wiring, bundles, added, missing -> List.of());
    }

    /**
     * @param hints for every requirement nobody provides, the features that would (sentences added at the end)
     * @return as {@link #unresolved(FrameworkWiring, List, List)}, followed by the hints
     */
    static String unresolved(FrameworkWiring wiring, List<Bundle> bundles, List<Bundle> added,
            java.util.function.Function<List<Requirement>, List<String>> hints) {
        List<String> reasons = new ArrayList<>();
        List<Requirement> allMissing = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getState() != Bundle.INSTALLED) {
                continue;
            }
            allMissing.addAll(missing(wiring, b));
            List<String> missing = missingRequirements(wiring, b);
            String reason;
            if (!missing.isEmpty()) {
                reason = "missing requirement " + String.join(", missing requirement ", missing);
            } else {
                reason = frameworkReason(b, added);
            }
            reasons.add("bundle " + b.getSymbolicName() + " " + b.getVersion() + " does not resolve: " + reason);
        }
        List<String> suggested = hints.apply(allMissing);
        return (reasons.isEmpty() ? "the bundles do not resolve together" : String.join("; ", reasons))
                + (suggested.isEmpty() ? "" : "; " + String.join("; ", suggested));
    }

    /** @return the mandatory resolve-time requirements of the bundle that no installed bundle can satisfy */
    static List<String> missingRequirements(FrameworkWiring wiring, Bundle bundle) {
        List<String> missing = new ArrayList<>();
        for (Requirement r : missing(wiring, bundle)) {
            String filter = r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            missing.add(r.getNamespace() + (filter == null ? "" : "; " + filter));
        }
        return missing;
    }

    /**
     * @return the mandatory resolve-time requirements of the bundle that no installed bundle can satisfy; optional
     *     imports and DynamicImport-Package (resolution {@code dynamic}, wired only when a class is loaded) are not
     *     (the Web Console's dynamic imports of OBR, prefs and wireadmin were listed as missing)
     */
    static List<Requirement> missing(FrameworkWiring wiring, Bundle bundle) {
        List<Requirement> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (Requirement r : revision.getRequirements(null)) {
            Map<String, String> directives = r.getDirectives();
            String resolution = directives.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            if (Namespace.RESOLUTION_OPTIONAL.equals(resolution) || "dynamic".equals(resolution)) {
                continue;
            }
            String effective = directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE);
            if (!Namespace.EFFECTIVE_RESOLVE.equals(effective)) {
                continue;
            }
            if (wiring.findProviders(r).isEmpty()) {
                missing.add(r);
            }
        }
        return missing;
    }

    /** @return what a requirement asks for, in a word: the package name, or namespace=value from its filter */
    static String name(Requirement r) {
        String filter = r.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(" + java.util.regex.Pattern.quote(r.getNamespace())
                + "=([^)]*)\\)").matcher(filter);
        String value = m.find() ? m.group(1) : null;
        if ("osgi.wiring.package".equals(r.getNamespace())) {
            return value == null ? filter : value;
        }
        return value == null ? r.getNamespace() : r.getNamespace() + "=" + value;
    }

    /**
     * Every requirement has a provider, so the cause is a conflict or a provider that itself does not resolve: ask
     * the framework by starting the bundle transiently (it does not resolve, so it does not start; it is
     * uninstalled right after in any case).
     */
    private static String frameworkReason(Bundle b, List<Bundle> added) {
        if (!added.contains(b)) {
            return "it was installed before and does not resolve; see 'start " + b.getBundleId() + "', which prints the resolver's reason";
        }
        try {
            b.start(Bundle.START_TRANSIENT);
            return "it resolves only on its own";
        } catch (BundleException e) {
            return e.getMessage();
        }
    }
}
