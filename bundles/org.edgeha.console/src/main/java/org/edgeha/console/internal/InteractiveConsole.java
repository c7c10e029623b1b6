package org.edgeha.console.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.edgeha.gateway.api.Gateway;
import org.edgeha.gateway.api.GatewaySettings;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The operator's interactive console ({@code g!}), started once the gateway is ready, so that the prompt comes after
 * the ready line rather than among the start-up lines. Gogo's own console thread is kept non-interactive
 * ({@code gosh.args=--nointeractive}, set by the launcher); this component runs {@code gosh --login --noshutdown} on
 * standard input and output in its own session, as Gogo's would, when the launcher resolved {@code edgeha.console}
 * to {@code true} (auto: standard input is a terminal). The end of input (or {@code exit}) stops the gateway, as with
 * Gogo's console; a session closed because this component was deactivated does not: Gogo's own shutdown is off
 * ({@code --noshutdown}) and this component stops the framework itself only when the shell ended while it was active.
 *
 * <p>The gateway service is a dynamic, optional reference, used only to wait for the ready line: a refresh or update
 * of the gateway runtime bundle re-registers it, and the console (and the operator's session) must go on through
 * that, not restart.
 *
 * <p>Threads: the console runs on its own daemon thread, which waits for {@link Gateway#isReady()} first; deactivation
 * closes the session and interrupts that thread (a read of standard input may still block until the JVM exits, as
 * Gogo's own does, and takes the next keystroke with it when this bundle itself is refreshed).
 */
@Component(immediate = true)
public class InteractiveConsole {

    /** How often the console thread looks whether the gateway is ready. */
    static final long READY_POLL_MS = 20;

    private final Thread thread;
    private volatile CommandSession session;
    private volatile boolean closed;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Gateway gateway;

    @Activate
    public InteractiveConsole(BundleContext context, @Reference CommandProcessor processor,
            @Reference(service = LoggerFactory.class) Logger log) {
        String goshArgs = context.getProperty("gosh.args");
        boolean wanted = Boolean.parseBoolean(context.getProperty(GatewaySettings.CONSOLE))
                && goshArgs != null && goshArgs.contains("--nointeractive");
        if (!wanted) {
            log.debug("Console: no interactive console (edgeha.console={}, gosh.args={})",
                    context.getProperty(GatewaySettings.CONSOLE), goshArgs);
            thread = null;
            return;
        }
        thread = new Thread(() -> run(context, processor, log), "edgeha-console");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean ready() {
        Gateway g = gateway;
        return g != null && g.isReady();
    }

    private void run(BundleContext context, CommandProcessor processor, Logger log) {
        boolean ended = false;
        try {
            while (!ready()) {
                if (closed) {
                    return;
                }
                Thread.sleep(READY_POLL_MS);
            }
            CommandSession s = processor.createSession(new FileInputStream(FileDescriptor.in),
                    new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
            session = s;
            if (closed) {
                s.close();
                return;
            }
            log.debug("Console: the interactive console starts");
            s.execute("gosh --login --noshutdown");
            ended = true;
            log.debug("Console: the interactive console ended");
        } catch (InterruptedException e) {
            log.debug("Console: interrupted before the gateway was ready");
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!closed) {
                ended = true;
                log.error("Console: the interactive console ended: {}", e.toString());
            }
        } finally {
            CommandSession s = session;
            if (s != null) {
                s.close();
            }
        }
        if (ended && !closed) {
            // The operator ended the input (Ctrl-D, end of a piped script) or typed exit: the gateway stops, as
            // Gogo's console would stop it
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                log.warn("Console: could not stop the gateway at the end of input: {}", e.toString());
            }
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        if (thread != null) {
            CommandSession s = session;
            if (s != null) {
                s.close();
            }
            thread.interrupt();
        }
    }
}
