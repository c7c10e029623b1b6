package org.edgeha.features.api;

import java.util.Objects;

/**
 * A feature this gateway knows, as {@code feature:list} shows it: built into the distro, installed at run time, or
 * available in a repository folder and not installed.
 *
 * @param id the feature's Maven coordinates, {@code groupId:artifactId:version}
 * @param state {@link #BUILT_IN}, {@link #INSTALLED} or {@link #AVAILABLE}
 * @param detail for operators: "in the distro"; the bundles, configurations and origin of an installed feature; the
 *     file of an available one (relative to the gateway's home when it is below it)
 * @since 1.1
 */
public record KnownFeature(String id, String state, String detail) {

    /** The distro was built from it. */
    public static final String BUILT_IN = "built-in";
    /** Installed at run time ({@code feature:install}, {@code deploy/}, remote management). */
    public static final String INSTALLED = "installed";
    /** A feature file in a repository folder, not installed. */
    public static final String AVAILABLE = "available";

    /** Checks for {@code null}. */
    public KnownFeature {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }
}
