package dev.exchangemaildaemon.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.exchangemaildaemon.config.MailConfig.Target;
import dev.exchangemaildaemon.config.MailConfig.TargetType;

/**
 * One folder's delivery target as configured: each key from the most specific {@code target} that sets it (the
 * folder's, the mailbox's), else from {@code mail.incoming.target}, else its default.
 *
 * @param key the configuration key of the most specific target ({@code mail.incoming.mailboxes[2].target}), for
 *     errors
 * @param path the Maildir set by the folder's or the mailbox's own target
 */
public record TargetSettings(String key, TargetType type, Optional<Path> path, List<String> command, Duration timeout,
        Optional<String> lmtp, String recipient) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public static TargetSettings of(Target defaults, Optional<Target> own, String key, String address) {
        return of(defaults, own.stream().toList(), key, address);
    }

    /** @param own the targets that override the defaults, the most specific first; key names the first */
    public static TargetSettings of(Target defaults, List<Target> own, String key, String address) {
        return new TargetSettings(own.isEmpty() ? "mail.incoming.target" : key,
                pick(defaults, own, Target::type).orElse(TargetType.MAILDIR),
                pick(null, own, Target::path), pick(defaults, own, Target::command).orElse(List.of()),
                pick(defaults, own, Target::timeout).orElse(DEFAULT_TIMEOUT), pick(defaults, own, Target::lmtp),
                pick(defaults, own, Target::recipient).orElse(address));
    }

    private static <T> Optional<T> pick(Target defaults, List<Target> own, Function<Target, Optional<T>> value) {
        for (Target target : own) {
            if (value.apply(target).isPresent()) {
                return value.apply(target);
            }
        }
        return defaults == null ? Optional.empty() : value.apply(defaults);
    }
}
