package dev.exchangemaildaemon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.exchangemaildaemon.config.MailConfig.Target;
import dev.exchangemaildaemon.config.MailConfig.TargetType;

/**
 * One mailbox's delivery target as configured: each key from the mailbox's own {@code target}, else from
 * {@code mail.incoming.target}, else its default.
 *
 * @param key the configuration key of the target that names it ({@code mail.incoming.mailboxes[2].target}), for
 *     errors
 */
public record TargetSettings(String key, TargetType type, Optional<Path> path, List<String> command, Duration timeout,
        Optional<String> lmtp, String recipient) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public static TargetSettings of(Target defaults, Optional<Target> own, String key, String address) {
        return new TargetSettings(own.isPresent() ? key : "mail.incoming.target",
                pick(defaults, own, Target::type).orElse(TargetType.MAILDIR),
                own.flatMap(Target::path), pick(defaults, own, Target::command).orElse(List.of()),
                pick(defaults, own, Target::timeout).orElse(DEFAULT_TIMEOUT), pick(defaults, own, Target::lmtp),
                pick(defaults, own, Target::recipient).orElse(address));
    }

    private static <T> Optional<T> pick(Target defaults, Optional<Target> own, Function<Target, Optional<T>> value) {
        Optional<T> mine = own.flatMap(value);
        return mine.isPresent() ? mine : value.apply(defaults);
    }
}
