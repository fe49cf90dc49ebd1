package dev.exchangemaildaemon.testing;

/**
 * The tag every test class that Quarkus starts an application for carries ({@code @QuarkusTest},
 * {@code @QuarkusIntegrationTest}, {@code @QuarkusMainIntegrationTest}).
 *
 * <p>Each such start writes {@code target/test-classes/test-classes.idx} and deletes it again, and each scans
 * {@code target/test-classes}. Two test JVMs doing that at once meet on that file: one lists it, the other deletes it,
 * and the first fails with {@code NoSuchFileException} (seen in CI). So the build runs the tagged classes in one JVM
 * after the others, which still run in two (see the surefire and failsafe executions in {@code pom.xml}). The two-JVM
 * runs leave them out by file ({@code src/test/quarkus-app-tests.txt}, {@code src/test/quarkus-app-its.txt}), since
 * merely loading such a class makes Quarkus prepare its application; the one-JVM runs pick them by this tag.
 * {@code QuarkusAppTestsTaggedTest} fails when a class misses the tag or the list.
 */
public final class QuarkusAppTests {

    public static final String TAG = "quarkus-app";

    private QuarkusAppTests() {
    }
}
