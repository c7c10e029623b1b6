package org.edgeha.gs.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A group's attributes (GSAPI {@code ha_gs_group_attributes_t}). The first joiner's attributes define
 * the group; a later join must bring equal attributes or fails with
 * {@link ReturnCode#BAD_GROUP_ATTRIBUTES}. All but the source group can change through
 * {@link GsClient#changeAttributes}. Immutable; build from {@link #DEFAULT} with the {@code with…}
 * methods.
 *
 * @param defaultVote the vote given to providers that fail or miss a time limit
 *     ({@code gs_group_default_vote})
 * @param systemPhases phases of the system protocols: joins and failure-leaves ({@code gs_num_phases})
 * @param systemTimeLimit per-phase time limit of the system protocols; {@link Duration#ZERO} is none
 *     ({@code gs_time_limit})
 * @param batchControl whether waiting joins and failures are merged ({@code gs_batch_control})
 * @param mergeControl what a partition merge does ({@code gs_merge_control}; reserved)
 * @param sourceGroup the source group's name, or {@code ""} for none ({@code gs_source_group_name}):
 *     when one failure hits both, the source group's membership change finishes before this (target)
 *     group's starts
 * @param clientVersion the application's own version number ({@code gs_client_version}), compared
 *     like every other attribute
 */
public record GroupAttributes(DefaultVote defaultVote, NumPhases systemPhases, Duration systemTimeLimit,
        BatchControl batchControl, MergeControl mergeControl, String sourceGroup, int clientVersion) {

    /**
     * Default vote approve, one-phase system protocols, a 10 s system time limit, failures batched,
     * merge into the larger partition, no source group, client version 1.
     */
    public static final GroupAttributes DEFAULT = new GroupAttributes(DefaultVote.APPROVE, NumPhases.ONE,
            Duration.ofSeconds(10), BatchControl.BATCH_LEAVES, MergeControl.MERGE_INTO_LARGER, "", 1);

    /** Checks for {@code null} values and a negative time limit. */
    public GroupAttributes {
        Objects.requireNonNull(defaultVote, "defaultVote");
        Objects.requireNonNull(systemPhases, "systemPhases");
        Objects.requireNonNull(systemTimeLimit, "systemTimeLimit");
        Objects.requireNonNull(batchControl, "batchControl");
        Objects.requireNonNull(mergeControl, "mergeControl");
        Objects.requireNonNull(sourceGroup, "sourceGroup");
        if (systemTimeLimit.isNegative()) {
            throw new IllegalArgumentException("negative time limit " + systemTimeLimit);
        }
    }

    /** @return whether the group names a source group */
    public boolean hasSourceGroup() {
        return !sourceGroup.isEmpty();
    }

    /** @return a copy with another default vote */
    public GroupAttributes withDefaultVote(DefaultVote v) {
        return new GroupAttributes(v, systemPhases, systemTimeLimit, batchControl, mergeControl, sourceGroup, clientVersion);
    }

    /** @return a copy with other phases and time limit for system protocols */
    public GroupAttributes withSystemVoting(NumPhases phases, Duration timeLimit) {
        return new GroupAttributes(defaultVote, phases, timeLimit, batchControl, mergeControl, sourceGroup, clientVersion);
    }

    /** @return a copy with another batch control */
    public GroupAttributes withBatchControl(BatchControl b) {
        return new GroupAttributes(defaultVote, systemPhases, systemTimeLimit, b, mergeControl, sourceGroup, clientVersion);
    }

    /** @return a copy with another merge control */
    public GroupAttributes withMergeControl(MergeControl m) {
        return new GroupAttributes(defaultVote, systemPhases, systemTimeLimit, batchControl, m, sourceGroup, clientVersion);
    }

    /** @return a copy naming a source group ({@code ""} for none) */
    public GroupAttributes withSourceGroup(String source) {
        return new GroupAttributes(defaultVote, systemPhases, systemTimeLimit, batchControl, mergeControl, source, clientVersion);
    }

    /** @return a copy with another client version */
    public GroupAttributes withClientVersion(int version) {
        return new GroupAttributes(defaultVote, systemPhases, systemTimeLimit, batchControl, mergeControl, sourceGroup, version);
    }
}
