package org.edgeha.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What deploy/ says about files it cannot use (issue 14, case 5): a corrupt jar was ignored without a word, and an
 * unresolvable bundle was reported one missing requirement at a time, each with a stack trace.
 */
public class DeployProblemsIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();


    private static long count(GatewayProcess gateway, String text) {
        return gateway.output().lines().filter(l -> l.contains(text)).count();
    }

    @Test
    public void aFileThatIsNotABundleAndABundleThatDoesNotResolveAreEachSaidOnceWithTheReason() throws Exception {
        File home = tmp.newFolder("gw");
        try (GatewayProcess gateway = GatewayProcess.start(List.of("-Xmx48m"), "--edgeha.home=" + home,
                "--edgeha.node=1", "--edgeha.console=false", "--edgeha.broker=tcp://127.0.0.1:1")) {
            gateway.awaitLine(line -> line.startsWith("EdgeHA gateway ready"), 60, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("not ready:\n" + gateway.output()));
            Path deploy = home.toPath().resolve("deploy");

            byte[] noise = new byte[5000];
            new Random(14).nextBytes(noise);
            Path corruptPartial = deploy.resolve(".x.jar");
            Files.write(corruptPartial, noise);
            Files.move(corruptPartial, deploy.resolve("x.jar"));
            String ignored = gateway.awaitLine(l -> l.contains("deploy/x.jar ignored"), 20, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError("the corrupt jar was not reported:\n" + gateway.output()));
            assertTrue(ignored, ignored.contains("WARN") && ignored.contains("not a jar"));

            TestBundleJars.write(deploy.resolve("needs.jar"), "test.needs", "org.example.missing.one;version=\"[1,2)\","
                    + "org.example.missing.two");
            String error = gateway.awaitLine(l -> l.contains("deploy/needs.jar (test.needs 1.0.0) does not start"), 20,
                    TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("not reported:\n" + gateway.output()));
            assertTrue(error, error.contains("ERROR"));
            assertTrue("every missing requirement on the one line: " + error,
                    error.contains("org.example.missing.one") && error.contains("org.example.missing.two"));

            Thread.sleep(6_000); // FileInstall scans every second and retries the start: nothing more is said
            assertEquals(gateway.output(), 1, count(gateway, "deploy/x.jar ignored"));
            assertEquals(gateway.output(), 1, count(gateway, "deploy/needs.jar (test.needs 1.0.0) does not start"));
            assertFalse("no stack trace on the console:\n" + gateway.output(), gateway.output().contains("\tat "));
            assertFalse(gateway.output(), gateway.output().contains("Error while starting bundle"));
            gateway.terminate();
            assertEquals(java.util.Optional.of(0), gateway.awaitExit(30, TimeUnit.SECONDS));
        }
    }
}
