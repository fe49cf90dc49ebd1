package dev.exchangemaildaemon.bench;

import java.nio.file.Path;
import java.util.Map;

final class Scale {
    private Scale() {
    }

    static String run(Map<String, String> o, Path dir) {
        return "";
    }
}
