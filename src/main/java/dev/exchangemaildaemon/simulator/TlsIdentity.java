package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away server certificate for {@code localhost}: a self-signed key pair made by the JDK's own
 * {@code keytool} in a private temporary directory, valid for two days, with the certificate also written as
 * PEM so that a client can trust exactly this certificate.
 */
final class TlsIdentity {

    private static final String ALIAS = "exchange-simulator";

    private final Path directory;
    private final Path certificatePem;
    private final SSLContext sslContext;

    private TlsIdentity(Path directory, Path certificatePem, SSLContext sslContext) {
        this.directory = directory;
        this.certificatePem = certificatePem;
        this.sslContext = sslContext;
    }

    static TlsIdentity generate() throws IOException {
        Path directory = Files.createTempDirectory("exchange-simulator-");
        Path keyStore = directory.resolve("server.p12");
        Path certificatePem = directory.resolve("simulator-ca.pem");
        char[] password = randomPassword();
        String storePass = new String(password);
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost, O=Exchange Simulator", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", storePass, "-keypass", storePass);
        keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(),
                "-storepass", storePass, "-file", certificatePem.toString());
        return new TlsIdentity(directory, certificatePem, sslContext(keyStore, password));
    }

    SSLContext sslContext() {
        return sslContext;
    }

    Path certificatePem() {
        return certificatePem;
    }

    void delete() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    private static void keytool(String... arguments) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + text.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    private static SSLContext sslContext(Path keyStoreFile, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the simulator's key store", e);
        }
    }

    /**
     * Hex, not base64: keytool's launcher takes any argument that starts with {@code -J} as a JVM option, so a
     * base64url password such as {@code -Jx...} (one in 4,096) made keytool fail.
     */
    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).toCharArray();
    }
}
