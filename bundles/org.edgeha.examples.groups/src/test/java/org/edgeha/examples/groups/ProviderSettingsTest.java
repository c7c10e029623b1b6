package org.edgeha.examples.groups;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.edgeha.gs.api.GsWhiteboard;
import org.junit.Test;

/** The configuration checks, with values as a .cfg file gives them (strings) unless said otherwise. */
public class ProviderSettingsTest {

    private final List<String> warnings = new ArrayList<>();

    private static Map<String, Object> config(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        m.put("service.pid", "org.edgeha.examples.groups.provider~line1"); // DS adds these; they are ignored
        m.put("component.name", "org.edgeha.examples.groups.ExampleProviderComponent");
        return m;
    }

    private String problem(Map<String, Object> config) {
        try {
            ProviderSettings s = ProviderSettings.parse(config, warnings::add);
            fail("accepted " + s);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    public void aGoodConfigurationGivesTheWhiteboardProperties() {
        ProviderSettings s = ProviderSettings.parse(config("group", "line1", "instance", " 1 ", "vote.rule",
                "state-pattern", "state.pattern", "fill.*|idle"), warnings::add);
        assertEquals("line1", s.group());
        assertEquals(1, s.instance());
        assertEquals("state-pattern 'fill.*|idle'", s.rule().toString());
        assertEquals(Map.of(GsWhiteboard.GROUP_NAME, "line1", GsWhiteboard.INSTANCE, 1, GsWhiteboard.LOCAL_NAME,
                "example state-pattern"), s.serviceProperties());
        assertEquals("line1 (instance 1)", s.label());
        assertTrue(warnings.toString(), warnings.isEmpty());
    }

    @Test
    public void theRuleDefaultsToApproveAllAndTypedValuesAreRead() {
        Map<String, Object> typed = config("group", "pumps");
        typed.put("instance", 7L); // a .config or .json file
        ProviderSettings s = ProviderSettings.parse(typed, warnings::add);
        assertEquals(7, s.instance());
        assertEquals("approve-all", s.rule().name());
        assertEquals("reject-all",
                ProviderSettings.parse(config("group", "g", "instance", "0", "vote.rule", "Reject-All"), warnings::add)
                        .rule().name());
    }

    @Test
    public void eachBadValueIsNamed() {
        assertEquals("group is required (the group to join)", problem(config("instance", "1")));
        assertEquals("group is required (the group to join)", problem(config("group", " ", "instance", "1")));
        assertTrue(problem(config("group", "line 1", "instance", "1"))
                .startsWith("group 'line 1' is not a valid group name"));
        assertTrue(problem(config("group", "g")).startsWith("instance is required"));
        assertEquals("instance=-1 must be >= 0", problem(config("group", "g", "instance", "-1")));
        assertEquals("instance 'one' is not an integer", problem(config("group", "g", "instance", "one")));
        assertEquals("vote.rule 'majority' is not one of approve-all, reject-all, state-pattern",
                problem(config("group", "g", "instance", "1", "vote.rule", "majority")));
        assertTrue(problem(config("group", "g", "instance", "1", "vote.rule", "state-pattern"))
                .startsWith("state.pattern is required with vote.rule=state-pattern"));
        String regex = problem(config("group", "g", "instance", "1", "vote.rule", "state-pattern", "state.pattern",
                "fill["));
        assertTrue(regex, regex.startsWith("state.pattern 'fill[' is not a valid regular expression (Unclosed character class"));
        assertTrue(warnings.toString(), warnings.isEmpty());
    }

    @Test
    public void severalBadValuesAreReportedTogether() {
        assertEquals("group is required (the group to join); instance=-2 must be >= 0; vote.rule 'x' is not one of "
                + "approve-all, reject-all, state-pattern", problem(config("instance", "-2", "vote.rule", "x")));
    }

    @Test
    public void aListWhereOneValueBelongsIsRefused() {
        Map<String, Object> c = config("instance", "1");
        c.put("group", new String[] {"a", "b"});
        assertTrue(problem(c), problem(c).startsWith("group must be a single value, not a list"));
    }

    @Test
    public void aPatternWithoutTheStatePatternRuleIsIgnoredWithAWarning() {
        ProviderSettings s = ProviderSettings.parse(config("group", "g", "instance", "1", "state.pattern", "fill.*"),
                warnings::add);
        assertEquals("approve-all", s.rule().name());
        assertEquals(List.of("state.pattern is ignored: vote.rule is approve-all, not state-pattern"), warnings);
    }
}
