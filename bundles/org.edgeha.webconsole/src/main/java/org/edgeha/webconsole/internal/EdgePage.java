package org.edgeha.webconsole.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.owasp.encoder.Encode;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What every EdgeHA page of the web console shares: server-rendered HTML inside the console's frame, every value
 * escaped with the owasp encoder, the stock-password banner, and POST actions guarded against cross-site requests.
 *
 * <p><b>Actions.</b> A POST is carried out only when it comes from a page of this console: its {@code Origin} header
 * (or, when a browser sends none, its {@code Referer}) names the host and port the request was sent to, and its
 * {@code csrf} field holds the token this page put into its forms (random per page instance, compared in constant
 * time). Anything else is refused with 403 and nothing changes. The Felix Web Console 5.0.18 has no CSRF protection of
 * its own for plugins, hence this one. After an action the browser is redirected (303) to the page with the outcome
 * in {@code msg}, so that a reload does not repeat it.
 *
 * <p><b>Threads.</b> {@link #renderContent} and {@link #doPost} run on the HTTP server's request threads, several at
 * once; subclasses keep no per-request state in fields. They read snapshots from the EdgeHA services, which do not
 * block on the network.
 */
abstract class EdgePage extends AbstractServlet {

    private static final long serialVersionUID = 1L;
    /** The console's navigation category of every EdgeHA page. */
    static final String CATEGORY = "EdgeHA";
    static final String CSRF_FIELD = "csrf";
    /** Headings and lists the console's style sheet flattens; nothing else. */
    private static final String STYLE = "<style>.edgeha h3{font-size:1.15em;font-weight:bold;margin:14px 0 6px}"
            + ".edgeha h4{font-weight:bold;margin:10px 0 2px}.edgeha ul{margin:4px 0 4px 18px;list-style:disc}"
            + ".edgeha ul.edgeha-recent{margin:0;list-style:none}.edgeha p{margin:6px 0}</style>";

    private final String csrfToken;
    private final transient PasswordGuard guard;

    EdgePage(PasswordGuard guard) {
        this.guard = guard;
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        this.csrfToken = HexFormat.of().formatHex(random);
    }

    /** Renders the page body into the console's frame. */
    abstract void render(PrintWriter out, HttpServletRequest request);

    /**
     * Carries out an action that passed the same-origin and token checks.
     *
     * @return the outcome, shown to the operator (plain text)
     */
    abstract String act(String action, HttpServletRequest request);

    @Override
    public final void renderContent(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        setNoCache(response);
        PrintWriter out = response.getWriter();
        out.println(STYLE);
        out.println("<div class='edgeha'>");
        if (guard != null && guard.stockPasswordInUse()) {
            out.println("<div class='ui-state-error ui-corner-all edgeha-warning' style='padding:6px;margin:6px 0'"
                    + " id='edgeha-default-password'>" + h(PasswordGuard.WARNING) + "</div>");
        }
        String msg = request.getParameter("msg");
        if (msg != null && !msg.isBlank()) {
            out.println("<p class='statline ui-state-highlight' id='edgeha-message'>" + h(msg) + "</p>");
        }
        render(out, request);
        out.println("</div>");
    }

    @Override
    protected final void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String refusal = crossSiteRefusal(request);
        if (refusal != null) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, refusal);
            return;
        }
        String action = request.getParameter("action");
        String outcome;
        try {
            outcome = action == null ? "no action given" : act(action, request);
        } catch (RuntimeException e) {
            outcome = action + " failed: " + e.getMessage();
        }
        String root = (String) request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", (root != null ? root : request.getRequestURI()) + "?msg="
                + URLEncoder.encode(outcome, StandardCharsets.UTF_8));
    }

    /** @return why a POST is refused as cross-site, or {@code null} when it comes from this console's own page */
    String crossSiteRefusal(HttpServletRequest request) {
        String source = request.getHeader("Origin");
        if (source == null || source.isEmpty() || "null".equals(source)) {
            source = request.getHeader("Referer");
        }
        if (source == null || !sameOrigin(source, request.getScheme(), request.getHeader("Host"))) {
            return "refused: the request does not come from this web console (Origin/Referer " + source + ")";
        }
        String token = request.getParameter(CSRF_FIELD);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                csrfToken.getBytes(StandardCharsets.UTF_8))) {
            return "refused: the form's token is missing or stale (reload the page)";
        }
        return null;
    }

    static boolean sameOrigin(String source, String scheme, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(source.trim());
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String expected = host.contains(":") ? host : host + ":" + ("https".equalsIgnoreCase(scheme) ? 443 : 80);
            return scheme.equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && (uri.getHost() + ":" + port).equalsIgnoreCase(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return a form posting {@code action} with the hidden fields and one button; {@code fields} are extra inputs */
    String form(String action, String button, String hidden, String fields) {
        return "<form method='post' style='display:inline' class='edgeha-action'>"
                + "<input type='hidden' name='action' value='" + a(action) + "'/>"
                + "<input type='hidden' name='" + CSRF_FIELD + "' value='" + a(csrfToken) + "'/>"
                + (hidden == null ? "" : hidden) + fields
                + "<button type='submit' class='ui-button' name='do' value='" + a(action) + "'>" + h(button)
                + "</button></form>";
    }

    static String hiddenField(String name, String value) {
        return "<input type='hidden' name='" + a(name) + "' value='" + a(value) + "'/>";
    }

    /** @return text for an HTML text node */
    static String h(Object text) {
        return Encode.forHtml(String.valueOf(text));
    }

    /** @return text for a quoted HTML attribute */
    static String a(Object text) {
        return Encode.forHtmlAttribute(String.valueOf(text));
    }
}
