package org.edgeha.health.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.edgeha.gateway.api.Gateway;
import org.edgeha.mqtt.api.MqttBridge;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code GET /system/health}: the health JSON ({@value HealthReport#SCHEMA}, the same document as the MQTT message),
 * status 200 when the overall status is OK or WARN and 503 otherwise (for load balancers and monitors). An OSGi HTTP
 * Whiteboard servlet: the http feature's Jetty serves it whether it was installed before or after health, where Jetty
 * binds (127.0.0.1:8181 by default). Requests run the checks on Jetty's request thread (up to Felix HC's timeout).
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=" + HealthServlet.PATH,
        "osgi.http.whiteboard.servlet.name=edgeha-health"})
public class HealthServlet extends HttpServlet {

    static final String PATH = "/system/health";
    private static final long serialVersionUID = 1L;

    @Reference
    private transient HealthCheckExecutor executor;
    @Reference
    private transient Gateway gateway;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + MqttBridge.NAME + "=default)")
    private transient volatile MqttBridge bridge;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthReport report = HealthReport.run(executor);
        MqttBridge b = bridge;
        byte[] body = (report.json(gateway.settings().node(), b == null ? 0 : b.incarnation(),
                System.currentTimeMillis(), true) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(report.healthy() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
