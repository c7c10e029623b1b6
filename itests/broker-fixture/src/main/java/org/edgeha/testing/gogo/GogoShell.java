package org.edgeha.testing.gogo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.util.function.Supplier;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.junit.rules.ExternalResource;

/**
 * A command class of EdgeHA as Gogo 1.1.6 dispatches it, outside OSGi: its functions (read from the DS descriptor bnd
 * wrote, since the component annotation is not kept at run time) registered on a real {@link CommandProcessorImpl},
 * one session to run lines in, and the check that every command and parameter is described (issue 15). A JUnit rule
 * for the command tests of each bundle ({@code @Rule public final GogoShell shell = new GogoShell("ha", () -> new
 * HaCommands(null));}): a fresh processor for every test; a test dependency only.
 */
public final class GogoShell extends ExternalResource {

    private static final Pattern FUNCTIONS = Pattern.compile(
            "name=\"osgi.command.function\" type=\"String\"(?: value=\"([^\"]*)\"/>|>([^<]*)<)");

    private final String scope;
    private final Supplier<Object> component;
    private Class<?> type;
    private List<String> functions;
    private ThreadIOImpl threadIo;
    private CommandSession session;

    /** @param component makes the command component, with whatever its constructor needs for the lines to run */
    public GogoShell(String scope, Supplier<Object> component) {
        this.scope = scope;
        this.component = component;
    }

    @Override
    protected void before() {
        Object commands = component.get();
        type = commands.getClass();
        functions = functionsOf(type);
        threadIo = new ThreadIOImpl();
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        for (String function : functions) {
            processor.addCommand(scope, commands, function);
        }
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @Override
    protected void after() {
        session.close();
        threadIo.stop();
    }

    /** @return the functions the component registers ({@code osgi.command.function}) */
    public List<String> functions() {
        return functions;
    }

    /** @return what Gogo answers to the line, as the console prints it */
    public String run(String line) throws Exception {
        return String.valueOf(session.execute(line));
    }

    /**
     * @return what is wrong with the descriptions, one entry a problem (or that there is no command at all); empty
     *     when every function has a described
     *     method with {@code Example: scope:function} in its text, a described usage overload ({@code String...}) for
     *     wrong arguments, and every parameter described
     */
    public List<String> descriptionProblems() {
        List<String> problems = new ArrayList<>();
        if (functions.isEmpty()) {
            problems.add(type.getName() + " registers no command");
        }
        for (String function : functions) {
            List<Method> methods = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(function)).toList();
            if (methods.stream().allMatch(Method::isVarArgs)) {
                problems.add(function + ": no method with typed parameters");
            }
            if (methods.stream().noneMatch(Method::isVarArgs)) {
                problems.add(function + ": no usage overload (String...)");
            }
            for (Method m : methods) {
                Descriptor d = m.getAnnotation(Descriptor.class);
                if (d == null || !(m.isVarArgs() || d.value().contains("Example: " + scope + ":" + function))) {
                    problems.add(m + ": no @Descriptor" + (m.isVarArgs() ? "" : " with 'Example: " + scope + ":" + function + "'"));
                }
                for (var annotations : m.getParameterAnnotations()) {
                    if (Arrays.stream(annotations).noneMatch(a -> a instanceof Descriptor)) {
                        problems.add(m + ": a parameter without @Descriptor");
                    }
                }
            }
        }
        return problems;
    }

    private static List<String> functionsOf(Class<?> type) {
        String name = "/OSGI-INF/" + type.getName() + ".xml";
        try (InputStream in = type.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no DS descriptor " + name + " (is the bundle built by bnd?)");
            }
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = FUNCTIONS.matcher(xml);
            if (!m.find()) {
                throw new IllegalStateException("no osgi.command.function in " + name);
            }
            return (m.group(1) != null ? m.group(1) : m.group(2)).lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }
}
