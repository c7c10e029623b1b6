package org.edgeha.features.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.file.Path;
import java.util.ServiceLoader;

import org.junit.Test;
import org.osgi.framework.Version;
import org.osgi.service.feature.FeatureService;

/** Where the installer finds a feature's artifacts, and how it compares their versions (moved from FeatureFileTest). */
public class RepositoryLayoutTest {

    private static final FeatureService SERVICE = ServiceLoader.load(FeatureService.class).findFirst().orElseThrow();

    @Test
    public void repositoryPathsAreMavenLayout() {
        assertEquals(Path.of("/r/org/edgeha/org.edgeha.a/0.1.0-SNAPSHOT/org.edgeha.a-0.1.0-SNAPSHOT.jar"),
                Repository.path(Path.of("/r"), SERVICE.getIDfromMavenCoordinates("org.edgeha:org.edgeha.a:0.1.0-SNAPSHOT"), "jar"));
        assertEquals(Path.of("/r/g/a/1/a-1-x.osgifeature"),
                Repository.path(Path.of("/r"), SERVICE.getIDfromMavenCoordinates("g:a:osgifeature:x:1"), "osgifeature"));
    }

    @Test
    public void mavenVersionsCompareByTheirNumbers() {
        assertEquals(new Version(0, 1, 0), FeatureInstaller.baseVersion("0.1.0-SNAPSHOT"));
        assertEquals(new Version(1, 2, 0), FeatureInstaller.baseVersion("1.2"));
        assertEquals(new Version(2, 0, 1), FeatureInstaller.baseVersion("2.0.1"));
        assertNull(FeatureInstaller.baseVersion("LATEST"));
    }
}
