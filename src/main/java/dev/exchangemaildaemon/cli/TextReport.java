package dev.exchangemaildaemon.cli;

import dev.exchangemaildaemon.check.CheckOutcome;

/** Check results as lines an admin reads in a terminal. */
final class TextReport {

    private TextReport() {
    }

    static String of(CheckOutcome outcome) {
        if (outcome.ok()) {
            return "OK     " + outcome.name() + ": " + outcome.detail();
        }
        return error(outcome.name(), outcome.code(), outcome.message(), outcome.step(), outcome.hint());
    }

    static String error(String name, String code, String message, String step, String hint) {
        return "ERROR  " + name + ": " + code + "\n"
                + "       step:    " + step + "\n"
                + "       what:    " + message + "\n"
                + "       do this: " + hint;
    }
}
