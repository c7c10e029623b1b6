package org.edgeha.gateway.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** How a configuration becomes the lines of an etc/*.cfg file (issue 15, configuration edits persist). */
public class ConfigFileTest {

    @Test
    public void fileNamesAreTheOnesFileInstallMapsBackToThePid() {
        assertEquals("org.edgeha.mqtt.cfg", ConfigFile.fileName("org.edgeha.mqtt", null));
        assertEquals("org.edgeha.recovery.strategy.failover-line1.cfg",
                ConfigFile.fileName("org.edgeha.recovery.strategy.failover~line1", "org.edgeha.recovery.strategy.failover"));
        assertNull(ConfigFile.fileName("org.edgeha.x.6f1c-22", "org.edgeha.x")); // unnamed factory configuration
        assertNull(ConfigFile.fileName("my-pid", null)); // FileInstall would read my-pid.cfg as factory "my", name "pid"
    }

    @Test
    public void anExistingFileKeepsItsCommentsAndOrderAndOnlyChangedKeysChange() {
        List<String> file = List.of("# broker of line 1", "broker.uris = tcp://a:1883", "", "# fast", "keepalive.s=10",
                "will.delay.s = 5");
        Map<String, String> values = Map.of("broker.uris", "tcp://a:1883", "keepalive.s", "5", ".password", "s e=c");
        assertEquals(List.of("# broker of line 1", "broker.uris = tcp://a:1883", "", "# fast", "keepalive.s = 5",
                ".password = s e=c"), ConfigFile.update(file, new java.util.TreeMap<>(values), List.of("unused")));
    }

    @Test
    public void aNewFileHasAHeaderAndReadsBackAsTheSameValues() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("service.pid", "x");
        p.put("felix.fileinstall.filename", "file:/etc/x.cfg");
        p.put("count", 3);
        p.put("uris", new String[] {"tcp://a:1", "tcp://b:1"});
        p.put("text", " lead, with = and : and # and \\ and ünïcode\nnext");
        Map<String, String> values = ConfigFile.values(p);
        assertEquals(Map.of("count", "3", "uris", "tcp://a:1,tcp://b:1", "text",
                " lead, with = and : and # and \\ and ünïcode\nnext"), values);
        List<String> lines = ConfigFile.update(List.of(), values, List.of("written at run time"));
        assertEquals("# written at run time", lines.get(0));
        assertEquals(values, ConfigFile.read(String.join("\n", lines)));
    }
}
