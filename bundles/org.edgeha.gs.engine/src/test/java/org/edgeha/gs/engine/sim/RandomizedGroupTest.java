package org.edgeha.gs.engine.sim;

import org.junit.Test;

/**
 * The property test: many seeded runs of {@link RandomScenario}. {@code -Dgs.seeds=N} sets how many
 * (default 500, from {@code -Dgs.firstSeed}, default 1); {@code -Dgs.seed=N} replays one.
 */
public class RandomizedGroupTest {

    @Test
    public void everyRunConverges() {
        String one = System.getProperty("gs.seed", "");
        if (!one.isBlank()) {
            new RandomScenario(Long.parseLong(one.trim())).run();
            return;
        }
        int seeds = Integer.parseInt(System.getProperty("gs.seeds", "500").trim());
        long first = Long.parseLong(System.getProperty("gs.firstSeed", "1").trim());
        long start = System.nanoTime();
        RandomScenario.Tally tally = new RandomScenario.Tally();
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                RandomScenario s = new RandomScenario(seed);
                s.run();
                s.tally(tally);
            } catch (AssertionError | RuntimeException e) {
                System.err.println("Randomized Group Services run failed for seed " + seed
                        + "; replay with -Dgs.seed=" + seed);
                throw e;
            }
        }
        System.out.printf("Randomized Group Services: %d seeds (%d..%d) in %.1f s%n  %s%n", seeds, first,
                first + seeds - 1, (System.nanoTime() - start) / 1e9, tally);
    }
}
