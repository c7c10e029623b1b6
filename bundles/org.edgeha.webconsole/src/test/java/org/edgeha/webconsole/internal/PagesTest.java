package org.edgeha.webconsole.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.edgeha.features.api.InstalledFeature;
import org.edgeha.features.api.KnownFeature;
import org.edgeha.gs.api.GroupAttributes;
import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.ProviderId;
import org.edgeha.gs.api.StateValue;
import org.edgeha.mqtt.api.MqttStatus;
import org.edgeha.recovery.api.ConnectionInfo;
import org.edgeha.recovery.api.ConnectionState;
import org.junit.Test;

/** The pages' HTML from given snapshots: values escaped, actions only where they are safe. */
public class PagesTest {

    private static ConnectionInfo connection(int coid, String name, boolean suspended, Map<String, Object> properties) {
        return new ConnectionInfo(coid, name, "tcp", "plc:502", ConnectionState.OPEN, true, suspended,
                "whiteboard backoff (bundle b)", 3, 1, 12, -1, 0, 5, 2, 1, properties);
    }

    @Test
    public void connectionsAreEscapedAndOwnedOnesOfferNoAction() {
        ConnectionsPage page = new ConnectionsPage(null);
        String html = page.table(List.of(connection(1, "<script>alert(1)</script>", false, Map.of()),
                connection(2, "mqtt-default", false, Map.of(ConnectionInfo.OWNER, "the MQTT bridge",
                        ConnectionInfo.OWNER_COMMANDS, "mqtt:status")),
                connection(3, "plc-b", true, Map.of())), List.of("backoff <best>"));
        assertFalse(html, html.contains("<script>"));
        assertTrue(html, html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(html, html.contains("owned by the MQTT bridge: mqtt:status"));
        assertTrue(html, html.contains("value='suspend'") && html.contains("value='resume'"));
        assertTrue("two actions (coid 1 and 3), none for the owned one", html.split("<form", -1).length - 1 == 2);
        assertTrue(html, html.contains("3 / 1") && html.contains("2 of 5") && html.contains("0 (no limit)"));
        assertTrue(html, html.contains("backoff &lt;best&gt;"));
        assertTrue("every form carries the token", html.contains("name='csrf'"));
    }

    @Test
    public void groupsShowMembersStateAndTheWebClientsActions() {
        GroupsPage page = new GroupsPage(null, null);
        GroupView line1 = new GroupView("line1", 4, List.of(new ProviderId(1, 9999)), StateValue.ofUtf8("filling<>"),
                GroupAttributes.DEFAULT, Optional.empty(), 1);
        GroupView line2 = new GroupView("line2", 2, List.of(new ProviderId(1, 9998)), StateValue.EMPTY,
                GroupAttributes.DEFAULT, Optional.empty(), 0);
        String html = page.body(1, List.of(line1, line2), "line2"::equals,
                g -> g.equals("line1") ? List.of("10:00:00 seq 4: state \"filling\"") : List.of());
        assertTrue(html, html.contains("<td class='edgeha-group'>line1</td>") && html.contains("[1/9999]"));
        assertTrue(html, html.contains("&#34;filling&lt;&gt;&#34;") || html.contains("&quot;filling&lt;&gt;&quot;"));
        assertTrue(html, html.contains("node 1") && html.contains("unknown"));
        assertTrue(html, html.contains("Join as web") && html.contains("Propose state") && html.contains("Leave"));
    }

    @Test
    public void mqttAndFeaturesRender() {
        MqttPage mqtt = new MqttPage(null);
        MqttStatus s = new MqttStatus("default", MqttStatus.State.CONNECTED, "tcp://127.0.0.1:1883", "edgeha-1", true,
                3, 300, 10, 0, 0, 0, 1, 0, "", 7, 2, 0, 0, Map.of());
        String html = mqtt.body(List.of(Map.entry(s, Map.of(1, 7L, 2, 4L))));
        assertTrue(html, html.contains("CONNECTED") && html.contains("3 messages, 300 bytes")
                && html.contains("node 1 (incarnation 7), node 2 (incarnation 4)"));
        FeaturesPage features = new FeaturesPage(null);
        String f = features.body(List.of(new KnownFeature("org.edgeha:core:0.1.0", KnownFeature.BUILT_IN, "in the distro"),
                new KnownFeature("org.edgeha:webconsole:0.1.0", KnownFeature.INSTALLED, "9 bundles"),
                new KnownFeature("org.edgeha:opcua:0.1.0", KnownFeature.AVAILABLE, "repository/x.json")),
                List.of(new InstalledFeature("org.edgeha:webconsole:0.1.0", "EdgeHA web console", List.of("a 1.0"),
                        List.of("a 1.0"), List.of(), "repository")));
        assertTrue(f, f.contains("1 built-in, 1 installed, 1 available") && f.contains("org.edgeha:opcua")
                && f.contains("EdgeHA web console"));
    }

    @Test
    public void onlyTheSameOriginCountsAsThisConsole() {
        assertTrue(EdgePage.sameOrigin("http://127.0.0.1:8181", "http", "127.0.0.1:8181"));
        assertTrue(EdgePage.sameOrigin("http://127.0.0.1:8181/system/console/edgeha-groups", "http", "127.0.0.1:8181"));
        assertTrue(EdgePage.sameOrigin("http://gw.local", "http", "gw.local"));
        assertFalse(EdgePage.sameOrigin("http://evil.example:8181", "http", "127.0.0.1:8181"));
        assertFalse(EdgePage.sameOrigin("http://127.0.0.1:9999", "http", "127.0.0.1:8181"));
        assertFalse(EdgePage.sameOrigin("https://127.0.0.1:8181", "http", "127.0.0.1:8181"));
        assertFalse(EdgePage.sameOrigin("not a uri at all", "http", "127.0.0.1:8181"));
        assertFalse(EdgePage.sameOrigin("http://127.0.0.1:8181", "http", null));
    }
}
