package org.ldrtestbed.routes.sut;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ldrtestbed.routes.contract.SutExchange;

/** Keeps exchanges in a list, numbered from 1, for tests that need no database. */
final class InMemorySutExchanges implements SutExchanges {

    final List<SutExchange> kept = new CopyOnWriteArrayList<>();

    @Override
    public synchronized SutExchange record(SutExchange e) {
        SutExchange numbered = new SutExchange(
                kept.size() + 1,
                e.run(),
                e.system(),
                e.flow(),
                e.messageId(),
                e.direction(),
                e.transport(),
                e.endpoint(),
                e.nhsNumber(),
                e.request(),
                e.status(),
                e.response(),
                e.location(),
                e.error(),
                e.at());
        kept.add(numbered);
        return numbered;
    }

    final java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void sending(String run, String messageId) {
        sent.add(run + " " + messageId);
    }

    @Override
    public boolean wasSent(String run, String messageId) {
        return sent.contains(run + " " + messageId);
    }

    @Override
    public List<SutExchange> ofRun(String run, long afterSequence) {
        return kept.stream()
                .filter(e -> run.equals(e.run()) && e.sequence() > afterSequence)
                .toList();
    }
}
