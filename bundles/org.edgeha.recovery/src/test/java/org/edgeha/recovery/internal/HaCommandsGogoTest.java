package org.edgeha.recovery.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The ha: commands as Gogo 1.1.6 dispatches them (issue 15): every command and parameter is described, a
 * wrong or missing argument reaches the usage overload, never Gogo's "Cannot coerce" exception.
 */
public class HaCommandsGogoTest {

    private ThreadIOImpl threadIo;
    private CommandSession session;

    @Before
    public void setUp() {
        threadIo = new ThreadIOImpl();
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        Object commands = new HaCommands(null);
        for (String function : functions()) {
            processor.addCommand("ha", commands, function);
        }
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @After
    public void tearDown() {
        session.close();
        threadIo.stop();
    }

    /** The functions the component registers, read from the DS descriptor bnd wrote (the annotation is not kept at run time). */
    private static List<String> functions() {
        String name = "/OSGI-INF/" + HaCommands.class.getName() + ".xml";
        try (InputStream in = HaCommands.class.getResourceAsStream(name)) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("name=\"osgi.command.function\" type=\"String\"(?: value=\"([^\"]*)\"/>|>([^<]*)<)")
                    .matcher(xml);
            assertTrue(xml, m.find());
            return (m.group(1) != null ? m.group(1) : m.group(2)).lines().map(String::trim).toList();
        } catch (java.io.IOException | NullPointerException e) {
            throw new AssertionError("cannot read " + name, e);
        }
    }

    private String run(String line) throws Exception {
        return String.valueOf(session.execute(line));
    }

    @Test
    public void everyCommandAndParameterIsDescribedWithAnExample() {
        for (String function : functions()) {
            List<Method> methods = Arrays.stream(HaCommands.class.getMethods()).filter(m -> m.getName().equals(function)).toList();
            assertTrue(function, methods.stream().anyMatch(m -> !m.isVarArgs()));
            assertTrue(function + " has a usage overload", methods.stream().anyMatch(Method::isVarArgs));
            for (Method m : methods) {
                Descriptor d = m.getAnnotation(Descriptor.class);
                assertTrue(m.toString(), d != null && (m.isVarArgs() || d.value().contains("Example: ha:" + function)));
                for (var annotations : m.getParameterAnnotations()) {
                    assertTrue(m + " parameter", Arrays.stream(annotations).anyMatch(a -> a instanceof Descriptor));
                }
            }
        }
    }

    @Test
    public void wrongOrMissingArgumentsPrintTheUsage() throws Exception {
        assertEquals(HaCommands.LIST_USAGE, run("ha:list all"));
        assertEquals(HaCommands.CONNECT_USAGE, run("ha:connect"));
        assertEquals(HaCommands.CONNECT_USAGE, run("ha:connect plc1"));
        assertEquals(HaCommands.SEND_USAGE, run("ha:send"));
        assertEquals(HaCommands.SEND_USAGE, run("ha:send plc1 two words"));
        assertEquals(HaCommands.DETACH_USAGE, run("ha:detach"));
        assertEquals(HaCommands.CLOSE_USAGE, run("ha:close"));
        assertEquals(HaCommands.CLOSE_USAGE, run("ha:close 1 2"));
        assertEquals(HaCommands.CTRL_USAGE, run("ha:ctrl"));
        assertEquals(HaCommands.CTRL_USAGE, run("ha:ctrl plc1"));
        assertEquals(HaCommands.CTRL_USAGE, run("ha:ctrl plc1 icount 3 4"));
        assertEquals(HaCommands.CTRL_USAGE, run("ha:ctrl plc1 icount"));
        assertEquals(HaCommands.CTRL_USAGE, run("ha:ctrl plc1 ACOUNT"));
        assertEquals(HaCommands.FUNCTIONS_USAGE, run("ha:functions all"));
    }
}
