package org.edgeha.gs.api;

/**
 * GSAPI {@code gs_merge_control}: what happens when two partitions of a group meet again after a split
 * of bridged or clustered brokers (SPEC 3.6). Part of the attributes (and compared on join); not acted
 * on by this version, which runs on one broker where a group cannot split.
 */
public enum MergeControl {
    /** The partition with fewer members is merged into the other; its providers get a {@link MergeNotification}. */
    MERGE_INTO_LARGER,
    /** The smaller partition is dissolved; its providers get a {@link MergeNotification} and must join again. */
    DISSOLVE_SMALLER
}
