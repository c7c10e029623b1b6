package org.edgeha.gs.engine.node;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.edgeha.gs.api.ProviderId;

/** This gateway's providers and subscribers, by token. Guarded by the engine lock. */
final class Locals {

    private int nextToken = 1;
    final Map<Integer, LocalProvider> providers = new TreeMap<>();
    final Map<Integer, LocalSubscriber> subscribers = new TreeMap<>();

    int newToken() {
        return nextToken++;
    }

    List<LocalProvider> providers(String group) {
        return providers.values().stream().filter(p -> p.group().equals(group)).toList();
    }

    /** @return the joining or member provider of this gateway with this id in the group, or {@code null} */
    LocalProvider live(String group, ProviderId id, long incarnation) {
        for (LocalProvider p : providers.values()) {
            if (p.isLive() && p.group().equals(group) && p.id.equals(id) && p.incarnation == incarnation) {
                return p;
            }
        }
        return null;
    }

    List<LocalSubscriber> subscribers(String group) {
        return subscribers.values().stream().filter(s -> s.group().equals(group)).toList();
    }

    Set<String> groups() {
        Set<String> g = new TreeSet<>();
        providers.values().forEach(p -> g.add(p.group()));
        subscribers.values().forEach(s -> g.add(s.group()));
        return g;
    }

    /** @return the groups with a joining or member provider or an open subscription of this gateway */
    Set<String> liveGroups() {
        Set<String> g = new TreeSet<>();
        providers.values().stream().filter(LocalProvider::isLive).forEach(p -> g.add(p.group()));
        subscribers.values().stream().filter(s -> !s.closed).forEach(s -> g.add(s.group()));
        return g;
    }

    /** @return this gateway's providers of {@code group} that are joining (not yet members) */
    long joining(String group) {
        return providers.values().stream()
                .filter(p -> p.status == LocalProvider.Status.JOINING && p.group().equals(group)).count();
    }

    /** Forgets a provider that is gone and no longer listed anywhere. */
    void forgetIfDone(LocalProvider p) {
        if (!p.isClaimed()) {
            providers.remove(p.token.value());
        }
    }
}
