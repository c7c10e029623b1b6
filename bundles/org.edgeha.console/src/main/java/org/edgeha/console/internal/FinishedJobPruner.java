package org.edgeha.console.internal;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Job;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Drops the finished jobs that Gogo runtime 1.1.6 keeps for ever. The console runs inside the {@code gosh} job, and
 * every command typed there becomes a child of that job; the runtime removes a finished job from the session's list
 * but never from its parent's children, so each command keeps its pipes and print streams (about 35–40 KB): a
 * gateway with {@code -Xmx48m} ran out of heap after about 815 commands. After each command this listener removes
 * the finished children of the command's root job. The list is private to the runtime, so it is reached by
 * reflection; if a later runtime changes it, the listener logs once and does nothing (the leak is then the
 * runtime's to fix). Thread-safe: called on each session's console thread, and it locks the list as the runtime does.
 */
@Component(service = CommandSessionListener.class)
public class FinishedJobPruner implements CommandSessionListener {

    private final Logger log;
    private final AtomicBoolean unsupported = new AtomicBoolean();

    @Activate
    public FinishedJobPruner(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        // nothing to do before
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        prune();
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        prune();
    }

    /** @return how many finished jobs were dropped */
    int prune() {
        Job root = Job.Utils.current();
        if (root == null || unsupported.get()) {
            return 0;
        }
        List<?> children = children(root);
        if (children == null) {
            return 0;
        }
        synchronized (children) {
            int before = children.size();
            children.removeIf(child -> child instanceof Job && ((Job) child).status() == Job.Status.Done);
            return before - children.size();
        }
    }

    private List<?> children(Job job) {
        try {
            Field field = job.getClass().getDeclaredField("children");
            field.setAccessible(true);
            Object value = field.get(job);
            if (value instanceof List) {
                return (List<?>) value;
            }
            throw new NoSuchFieldException("children is a " + (value == null ? "null" : value.getClass().getName()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (unsupported.compareAndSet(false, true)) {
                log.warn("Console: cannot drop finished Gogo jobs with this Gogo runtime ({}); every console command "
                        + "keeps its job until the session ends", e.toString());
            }
            return null;
        }
    }
}
