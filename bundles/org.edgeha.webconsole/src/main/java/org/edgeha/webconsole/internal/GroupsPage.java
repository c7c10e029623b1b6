package org.edgeha.webconsole.internal;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.edgeha.gs.api.GroupView;
import org.edgeha.gs.api.GsLimits;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The "Groups" page: every group this gateway knows (Group Services), with sequence number, members, state value,
 * coordinator, the protocol running and the recent protocols the web client saw. Actions through the web console's
 * own client ({@value WebGroupClient#CLIENT_NAME}, provider instance {@value WebGroupClient#INSTANCE}): join a group
 * (optionally proposing a state value once a member), leave it, propose a state value. Expel, goodbye, messages and
 * attribute changes stay in the shell ({@code gs:}).
 *
 * <p>Threads: as {@link EdgePage}; Group Services calls return at once.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + GroupsPage.LABEL,
        "felix.webconsole.title=Groups",
        "felix.webconsole.category=" + EdgePage.CATEGORY
})
public class GroupsPage extends EdgePage {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "edgeha-groups";

    private final transient WebGroupClient web;

    @Activate
    public GroupsPage(@Reference PasswordGuard guard, @Reference WebGroupClient web) {
        super(guard);
        this.web = web;
    }

    @Override
    void render(PrintWriter out, HttpServletRequest request) {
        out.print(body(web.nodeNumber(), web.groups(), web::isMember, web::recent));
    }

    /** @return the page body for these groups */
    String body(int node, List<GroupView> groups, Predicate<String> webMember, Function<String, List<String>> recent) {
        StringBuilder b = new StringBuilder();
        b.append("<p class='statline'>").append(groups.size()).append(groups.size() == 1 ? " group" : " groups")
                .append(" known on node ").append(node).append(" (the web console's provider is ").append(node)
                .append('/').append(WebGroupClient.INSTANCE).append(")</p>");
        b.append("<table class='nicetable' id='edgeha-groups'><thead><tr><th>Group</th><th>Seq</th><th>Members</th>"
                + "<th>State value</th><th>Coordinator</th><th>Running</th><th>Recent protocols</th>"
                + "<th>Web client</th></tr></thead><tbody>");
        if (groups.isEmpty()) {
            b.append("<tr><td colspan='8'>no group: join one below, or with gs:join in the shell</td></tr>");
        }
        for (GroupView v : groups) {
            String group = v.group();
            b.append("<tr data-group='").append(a(group)).append("'><td class='edgeha-group'>").append(h(group))
                    .append("</td><td>").append(v.seq()).append("</td><td class='edgeha-members'>")
                    .append(h(v.members())).append("</td><td class='edgeha-state'>").append(h(v.state()))
                    .append("</td><td>").append(v.coordinatorNode() == 0 ? "unknown" : "node " + v.coordinatorNode())
                    .append("</td><td>").append(h(v.running().map(r -> r.protocolType() + " seq " + r.seq() + " phase "
                            + r.phase() + r.proposedBy().map(p -> " by " + p).orElse("")).orElse("-")))
                    .append("</td><td><ul class='edgeha-recent'>");
            List<String> lines = recent.apply(group);
            if (lines.isEmpty()) {
                b.append("<li>-</li>");
            }
            lines.forEach(l -> b.append("<li>").append(h(l)).append("</li>"));
            b.append("</ul></td><td>");
            String g = hiddenField("group", group);
            if (webMember.test(group)) {
                b.append("member ").append(form("propose", "Propose state", g,
                        "<input type='text' name='value' size='10' placeholder='state value' required/>"))
                        .append(' ').append(form("leave", "Leave", g, ""));
            } else {
                b.append(form("join", "Join as web", g, ""));
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
        b.append("<h3>Join a group</h3><p>").append(form("join", "Join", null,
                "<input type='text' name='group' size='16' placeholder='group name' required/> "
                        + "<input type='text' name='value' size='12' placeholder='state (optional)'/> "))
                .append("</p>");
        return b.toString();
    }

    @Override
    String act(String action, HttpServletRequest request) {
        String group = request.getParameter("group");
        if (group == null || !GsLimits.isValidGroupName(group)) {
            return action + ": not a valid group name: " + group;
        }
        String value = request.getParameter("value");
        return switch (action) {
            case "join" -> web.join(group, value);
            case "leave" -> web.leave(group);
            case "propose" -> value == null || value.isEmpty() ? "propose: no state value given" : web.propose(group, value);
            default -> "unknown action " + action;
        };
    }
}
