package dev.exchangemaildaemon.check;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One check: {@code OK} with a detail, or {@code ERROR} with the diagnosis. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckOutcome(String name, String result, String detail, String code, String message, String hint,
        String step) {

    public static CheckOutcome ok(String name, String detail) {
        return new CheckOutcome(name, "OK", detail, null, null, null, null);
    }

    public static CheckOutcome error(String name, Diagnosis diagnosis) {
        return new CheckOutcome(name, "ERROR", null, diagnosis.code(), diagnosis.message(), diagnosis.hint(),
                diagnosis.step());
    }

    public boolean ok() {
        return "OK".equals(result);
    }
}
