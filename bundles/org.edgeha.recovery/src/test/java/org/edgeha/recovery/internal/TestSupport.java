package org.edgeha.recovery.internal;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.log.Logger;

/** Builds the service outside OSGi: its configuration from the metatype defaults plus overrides. */
final class TestSupport {

    private TestSupport() {
    }

    static RecoveryConfig config(Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return (RecoveryConfig) Proxy.newProxyInstance(RecoveryConfig.class.getClassLoader(),
                new Class<?>[] {RecoveryConfig.class}, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (value != null) {
                        return value;
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if (method.getName().equals("annotationType")) {
                        return RecoveryConfig.class;
                    }
                    return method.getName().equals("hashCode") ? 0 : method.getName().equals("toString") ? "config" : null;
                });
    }

    /** Logs to standard error when -Dedgeha.test.log=true; the log is not what these tests check. */
    static Logger logger() {
        boolean print = Boolean.getBoolean("edgeha.test.log");
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("is")) {
                        return print;
                    }
                    if (method.getName().equals("getName")) {
                        return "test";
                    }
                    if (print && args != null && args.length > 0 && args[0] instanceof String) {
                        System.err.println(method.getName() + " " + args[0] + " " + java.util.Arrays.toString(
                                java.util.Arrays.copyOfRange(args, 1, args.length)));
                    }
                    return null;
                });
    }

    static HaConnectionsImpl service(Object... overrides) {
        return new HaConnectionsImpl(config(overrides), logger());
    }

    /** The tcp kind with the default classification, for connections registered as plain ones. */
    static TcpType tcpType() {
        RecoveryConfig defaults = config();
        LostClassifier classifier = new LostClassifier(defaults.tcp_lost_exceptions(), defaults.lost_messages(), false);
        return new TcpType(() -> classifier);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // test cleanup
        }
    }

    static IOException ioFailure(String message) {
        return new IOException(message);
    }
}
