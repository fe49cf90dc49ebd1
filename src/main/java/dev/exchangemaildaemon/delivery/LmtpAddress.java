package dev.exchangemaildaemon.delivery;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where an LMTP server listens: a Unix socket (a path, as Dovecot's {@code /run/dovecot/lmtp}) or {@code host:port}
 * ({@code [::1]:24} for an IPv6 address).
 */
public record LmtpAddress(String text, SocketAddress address) {

    /** The address, or IllegalArgumentException saying what is wrong with it. */
    public static LmtpAddress parse(String text) {
        String value = text.strip();
        if (value.startsWith("/")) {
            return new LmtpAddress(value, UnixDomainSocketAddress.of(Path.of(value)));
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("'" + value + "' is neither a Unix socket's path (starting with /) nor"
                    + " host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + value + "' has no port number from 1 to 65535 after its last ':'");
        }
        return new LmtpAddress(value, InetSocketAddress.createUnresolved(host, port));
    }

    @Override
    public String toString() {
        return text;
    }
}
