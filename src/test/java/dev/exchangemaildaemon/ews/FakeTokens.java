package dev.exchangemaildaemon.ews;

import java.util.ArrayList;
import java.util.List;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.TokenException;

/** Hands out token-1, token-2, ... : a new one after each refusal. */
final class FakeTokens implements AccessTokens {

    private final boolean appOnly;
    private final List<String> refused = new ArrayList<>();

    FakeTokens(boolean appOnly) {
        this.appOnly = appOnly;
    }

    @Override
    public synchronized String get() throws TokenException {
        return "token-" + (refused.size() + 1);
    }

    @Override
    public synchronized void refused(String token) {
        refused.add(token);
    }

    @Override
    public boolean appOnly() {
        return appOnly;
    }

    synchronized List<String> refused() {
        return List.copyOf(refused);
    }
}
