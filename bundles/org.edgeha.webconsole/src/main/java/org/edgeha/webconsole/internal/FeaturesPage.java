package org.edgeha.webconsole.internal;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.edgeha.features.api.KnownFeature;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The "Features" page: every feature the gateway knows ({@link FeatureManager#known()}: built-in, installed,
 * available), with the bundles and configurations of the installed ones. No actions: installing or removing a feature
 * restarts bundles, the web console's own among them (this page would remove itself), so it stays in the shell
 * ({@code feature:install}, {@code feature:remove}) or {@code deploy/}.
 *
 * <p>Threads: as {@link EdgePage}. {@link FeatureManager#known()} walks the repository folders on the request thread
 * and waits while an install or remove is in progress.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + FeaturesPage.LABEL,
        "felix.webconsole.title=Features",
        "felix.webconsole.category=" + EdgePage.CATEGORY
})
public class FeaturesPage extends EdgePage {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "edgeha-features";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FeatureManager features;

    @Activate
    public FeaturesPage(@Reference PasswordGuard guard) {
        super(guard);
    }

    @Override
    void render(PrintWriter out, HttpServletRequest request) {
        FeatureManager f = features;
        if (f == null) {
            out.println("<p class='statline'>The feature manager is not running.</p>");
            return;
        }
        out.print(body(f.known(), f.list()));
    }

    /** @return the page body */
    String body(List<KnownFeature> known, List<InstalledFeature> installed) {
        Map<String, Long> counts = new TreeMap<>();
        known.forEach(k -> counts.merge(k.state(), 1L, Long::sum));
        StringBuilder b = new StringBuilder("<p class='statline'>")
                .append(counts.getOrDefault(KnownFeature.BUILT_IN, 0L)).append(" built-in, ")
                .append(counts.getOrDefault(KnownFeature.INSTALLED, 0L)).append(" installed, ")
                .append(counts.getOrDefault(KnownFeature.AVAILABLE, 0L)).append(" available</p>");
        b.append("<table class='nicetable' id='edgeha-features'><thead><tr><th>Feature</th><th>Version</th>"
                + "<th>State</th><th>Details</th></tr></thead><tbody>");
        if (known.isEmpty()) {
            b.append("<tr><td colspan='4'>no feature known</td></tr>");
        }
        for (KnownFeature k : known) {
            int last = k.id().lastIndexOf(':');
            b.append("<tr data-state='").append(a(k.state())).append("'><td>").append(h(k.id().substring(0, Math.max(0, last))))
                    .append("</td><td>").append(h(k.id().substring(last + 1))).append("</td><td>").append(h(k.state()))
                    .append("</td><td>").append(h(k.detail())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (!installed.isEmpty()) {
            b.append("<h3>Installed at run time</h3>");
            for (InstalledFeature f : installed) {
                b.append("<h4>").append(h(f.name())).append(" <small>").append(h(f.id())).append("</small></h4><p>")
                        .append("Bundles: ").append(h(String.join(", ", f.bundles()))).append("<br/>Its own: ")
                        .append(h(f.ownedBundles().isEmpty() ? "-" : String.join(", ", f.ownedBundles())))
                        .append("<br/>Configurations: ")
                        .append(h(f.configurations().isEmpty() ? "-" : String.join(", ", f.configurations())))
                        .append("<br/>From: ").append(h(f.origin())).append("</p>");
            }
        }
        b.append("<p>Install or remove in the shell: <code>feature:install NAME</code>, <code>feature:remove NAME</code>"
                + " (or drop a feature file into <code>deploy/</code>).</p>");
        return b.toString();
    }

    @Override
    String act(String action, HttpServletRequest request) {
        return "the features page has no actions: use feature:install and feature:remove in the shell";
    }
}
