package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.edgeha.testing.broker.BrokerFixture;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Two gateways started with one node number in one domain (issue 14, case 2): they used to kick each other off the
 * broker forever, an ERROR and a WARN every 0.3 s. Now the one that finds the node taken stays out, and each side
 * says so once, naming the other's incarnation.
 */
public class NodeConflictIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerFixture broker;

    @Before
    public void startBroker() {
        broker = BrokerFixture.start();
    }

    @After
    public void stopBroker() {
        broker.close();
    }

    private GatewayProcess start(File home) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home, "--edgeha.node=3",
                "--edgeha.console=false", "--edgeha.broker=" + broker.uri());
        gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
        return gateway;
    }

    private static String incarnation(File home) throws Exception {
        Path file = home.toPath().resolve("data/mqtt/default.incarnation");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return Files.readString(file).trim();
    }

    private static long count(GatewayProcess gateway, String text) {
        return gateway.output().lines().filter(l -> l.contains(text)).count();
    }

    @Test
    public void theSecondGatewayWithANodeNumberStaysOutAndEachSideSaysItOnce() throws Exception {
        File homeA = tmp.newFolder("a");
        File homeB = tmp.newFolder("b");
        try (GatewayProcess a = start(homeA)) {
            String incarnationA = incarnation(homeA);
            Thread.sleep(2_000); // A is connected and has announced itself
            try (GatewayProcess b = start(homeB)) {
                String incarnationB = incarnation(homeB);
                // B looks twice, a will delay (5 s) apart, before it calls it a conflict
                String stays = b.awaitLine(l -> l.contains("node 3 is in use by another gateway"), 30, TimeUnit.SECONDS)
                        .orElseThrow(() -> new AssertionError("B did not say it stays out:\n" + b.output()));
                assertTrue(stays, stays.contains("ERROR") && stays.contains("incarnation " + incarnationA));
                String told = a.awaitLine(l -> l.contains("was started as node 3 too"), 10, TimeUnit.SECONDS)
                        .orElseThrow(() -> new AssertionError("A was not told:\n" + a.output()));
                assertTrue(told, told.contains("ERROR") && told.contains("incarnation " + incarnationB));

                Thread.sleep(20_000); // the old behaviour: about 130 takeovers and 260 lines meanwhile
                assertEquals(b.output(), 1, count(b, "node 3 is in use by another gateway"));
                assertEquals(a.output(), 1, count(a, "was started as node 3 too"));
                assertEquals("B never took A's session over:\n" + a.output(), 0, count(a, "took this session over"));
                for (GatewayProcess g : List.of(a, b)) { // after the ready line (before it: the expected start-up warnings)
                    assertEquals("nothing else alarming:\n" + g.output(), 1, g.output().lines()
                            .dropWhile(l -> !l.startsWith("EdgeHA gateway ready"))
                            .filter(l -> l.contains("WARN") || l.contains("ERROR")).count());
                }
                assertTrue(a.isAlive() && b.isAlive());
            }
            assertFalse("A kept its incarnation", incarnation(homeA).isEmpty() || !incarnation(homeA).equals(incarnationA));
        }
    }
}
