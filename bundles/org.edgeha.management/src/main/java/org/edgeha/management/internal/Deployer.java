package org.edgeha.management.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.edgeha.features.api.FeatureException;
import org.edgeha.features.api.FeatureManager;
import org.edgeha.features.api.InstalledFeature;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/** Carries out a verified request on this gateway's framework. */
final class Deployer {

    /** Location prefix of the bundles installed remotely: {@code edgeha-remote:<bsn>}. */
    static final String LOCATION = "edgeha-remote:";

    private final BundleContext context;
    private final Supplier<FeatureManager> features;
    private final RemoteBundleStore kept;

    Deployer(BundleContext context, Supplier<FeatureManager> features, RemoteBundleStore kept) {
        this.context = context;
        this.features = features;
        this.kept = kept;
    }

    /**
     * Installs again the remote bundles kept from before the restart (those not installed yet). A kept jar that
     * cannot be installed is moved aside and reported; the others go on.
     *
     * @return one line per kept bundle, saying what happened to it
     */
    List<String> restore() throws IOException {
        List<String> outcomes = new ArrayList<>();
        for (Path jar : kept.kept()) {
            String bsn = RemoteBundleStore.bsnOf(jar);
            if (context.getBundle(LOCATION + bsn) != null) {
                continue;
            }
            try {
                byte[] bytes = Files.readAllBytes(jar);
                String declared = symbolicName(bytes);
                if (!bsn.equals(declared)) {
                    throw new IllegalArgumentException("its symbolic name is " + declared + ", not " + bsn);
                }
                Bundle bundle = context.installBundle(LOCATION + bsn, new ByteArrayInputStream(bytes));
                if (bundle.getHeaders().get("Fragment-Host") == null) {
                    bundle.start();
                }
                outcomes.add("restored " + bsn + " " + bundle.getVersion() + " as bundle " + bundle.getBundleId() + ", "
                        + state(bundle));
            } catch (BundleException | IOException | IllegalArgumentException | SecurityException e) {
                Bundle half = context.getBundle(LOCATION + bsn);
                if (half != null) {
                    try {
                        half.uninstall();
                    } catch (BundleException ignored) {
                        // it goes with the framework cache at the next start anyway
                    }
                }
                Path aside = kept.discard(jar);
                outcomes.add("discarded " + jar.getFileName() + " (moved to " + aside.getFileName() + "): "
                        + e.getMessage());
            }
        }
        return outcomes;
    }

    /** @return the outcome's message; throws with the reason when it failed */
    String act(RequestVerifier.Verified r) throws Exception {
        if (r.kind().equals("bundle")) {
            switch (r.op()) {
                case "install", "update":
                    return installBundle(r.name(), r.payload());
                case "remove":
                    return removeBundle(r.name());
                default:
                    return listBundles();
            }
        }
        FeatureManager manager = features.get();
        if (manager == null) {
            throw new IllegalStateException("no feature manager on this gateway");
        }
        switch (r.op()) {
            case "install", "update": {
                Path file = Files.createTempFile("edgeha-remote-feature", ".json");
                try {
                    Files.write(file, r.payload());
                    InstalledFeature f = manager.install(file);
                    return "feature " + f.id() + " installed";
                } finally {
                    Files.deleteIfExists(file);
                }
            }
            case "remove":
                return "feature " + manager.remove(r.name()).id() + " removed";
            default: {
                List<String> ids = new ArrayList<>();
                manager.list().forEach(f -> ids.add(f.id()));
                return String.join(",", ids);
            }
        }
    }

    private static String symbolicName(byte[] jar) throws IOException {
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
        }
        String declared = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        return declared == null ? null : declared.split(";")[0].trim();
    }

    private String installBundle(String bsn, byte[] jar) throws BundleException, IOException {
        String declared = symbolicName(jar);
        if (!bsn.equals(declared)) {
            throw new IllegalArgumentException("the artifact's symbolic name is " + declared + ", not " + bsn);
        }
        String location = LOCATION + bsn;
        Bundle bundle = context.getBundle(location);
        String done;
        if (bundle == null) {
            bundle = context.installBundle(location, new ByteArrayInputStream(jar));
            done = "installed";
        } else {
            bundle.update(new ByteArrayInputStream(jar));
            done = "updated";
        }
        if (bundle.getHeaders().get("Fragment-Host") == null) {
            bundle.start();
        }
        try {
            kept.save(bsn, jar);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(bsn + " " + done + " as bundle " + bundle.getBundleId() + ", but it could not be kept in "
                    + kept.dir() + " and will be gone after a restart: " + e.getMessage(), e);
        }
        return bsn + " " + bundle.getVersion() + " " + done + " as bundle " + bundle.getBundleId() + ", "
                + state(bundle);
    }

    private String removeBundle(String bsn) throws BundleException, IOException {
        kept.delete(bsn);
        List<Long> removed = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && b.getBundleId() != 0 && b != context.getBundle()) {
                b.uninstall();
                removed.add(b.getBundleId());
            }
        }
        if (removed.isEmpty()) {
            throw new IllegalArgumentException("no bundle " + bsn + " to remove");
        }
        return bsn + " uninstalled (bundle " + removed + ")";
    }

    private String listBundles() {
        StringBuilder out = new StringBuilder();
        for (Bundle b : context.getBundles()) {
            out.append(out.length() == 0 ? "" : ",").append(b.getBundleId()).append(' ').append(b.getSymbolicName())
                    .append(' ').append(b.getVersion()).append(' ').append(state(b));
        }
        return out.toString();
    }

    static String state(Bundle b) {
        switch (b.getState()) {
            case Bundle.ACTIVE:
                return "Active";
            case Bundle.RESOLVED:
                return "Resolved";
            case Bundle.INSTALLED:
                return "Installed";
            case Bundle.STARTING:
                return "Starting";
            case Bundle.STOPPING:
                return "Stopping";
            default:
                return "Uninstalled";
        }
    }

    /** @return whether a failure of this kind is expected (reported in the reply without a stack trace) */
    static boolean expected(Exception e) {
        return e instanceof BundleException || e instanceof FeatureException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof IOException;
    }
}
