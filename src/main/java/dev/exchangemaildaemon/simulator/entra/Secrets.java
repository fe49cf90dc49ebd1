package dev.exchangemaildaemon.simulator.entra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Compares secrets in constant time, as an identity provider must. */
final class Secrets {

    private Secrets() {
    }

    static boolean equal(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
