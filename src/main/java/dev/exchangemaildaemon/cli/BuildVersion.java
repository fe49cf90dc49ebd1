package dev.exchangemaildaemon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine.IVersionProvider;

/**
 * The version the build stamped into {@code version.txt} (a Maven-filtered resource, included in the native image
 * too), for {@code --version}. A resource rather than the jar manifest, which a native executable does not have.
 */
public class BuildVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] { "exchange-mail-daemon " + version() };
    }

    public static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.txt")) {
            return in == null ? "(unknown version)" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
