package dev.exchangemaildaemon.config;

import java.math.BigDecimal;
import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;


/**
 * Reads a poll interval the way admins write it: a bare number is minutes ("60", "0.5"); otherwise a
 * number with a unit ("90s", "60m", "2h", "1d") or an ISO-8601 duration ("PT1H").
 */
public class MinutesDurationConverter implements Converter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            if (text.matches("[0-9]+(\\.[0-9]+)?")) {
                return ofSeconds(new BigDecimal(text).multiply(BigDecimal.valueOf(60)));
            }
            if (text.matches("[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)")) {
                String unit = text.replaceAll("^[0-9.]+", "");
                BigDecimal amount = new BigDecimal(text.substring(0, text.length() - unit.length()));
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(amount.longValueExact());
                    case "s" -> ofSeconds(amount);
                    case "m" -> ofSeconds(amount.multiply(BigDecimal.valueOf(60)));
                    case "h" -> ofSeconds(amount.multiply(BigDecimal.valueOf(3600)));
                    default -> ofSeconds(amount.multiply(BigDecimal.valueOf(86400)));
                };
            }
            return Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value
                    + "' is not a duration: write minutes as a bare number (60), or a number with a unit (90s, 60m, 2h)");
        }
    }

    private static Duration ofSeconds(BigDecimal seconds) {
        return Duration.ofMillis(seconds.multiply(BigDecimal.valueOf(1000)).longValue());
    }
}
