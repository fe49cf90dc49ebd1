package dev.exchangemaildaemon.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Every class Quarkus starts an application for carries {@link QuarkusAppTests#TAG} and is listed in the file that
 * keeps it out of the two-JVM runs, so the build runs it alone.
 */
class QuarkusAppTestsTaggedTest {

    private static final List<Class<? extends Annotation>> QUARKUS_STARTS = List.of(
            QuarkusTest.class, QuarkusIntegrationTest.class, QuarkusMainTest.class, QuarkusMainIntegrationTest.class);

    @Test
    void everyTestClassThatStartsQuarkusIsTagged() throws Exception {
        List<Class<?>> quarkusTests = testClasses().filter(QuarkusAppTestsTaggedTest::startsQuarkus).toList();

        // The build has unit tests and packaged tests of this kind; finding none would mean the scan is broken.
        assertTrue(quarkusTests.size() >= 10, "found only " + quarkusTests);
        List<String> untagged = quarkusTests.stream().filter(type -> !tagged(type)).map(Class::getName).toList();
        assertEquals(List.of(), untagged, "these start Quarkus but miss @Tag(QuarkusAppTests.TAG)");
    }

    /** The lists pom.xml keeps them out of the two-JVM runs by: surefire's, and failsafe's for the packaged tests. */
    @Test
    void theListsTheBuildExcludesThemByAreTheseClasses() throws Exception {
        List<String> quarkusTests = testClasses().filter(QuarkusAppTestsTaggedTest::startsQuarkus)
                .map(type -> type.getName().replace('.', '/') + ".java").sorted().toList();
        assertEquals(quarkusTests.stream().filter(name -> !name.endsWith("IT.java")).toList(),
                listed("src/test/quarkus-app-tests.txt"), "src/test/quarkus-app-tests.txt");
        assertEquals(quarkusTests.stream().filter(name -> name.endsWith("IT.java")).toList(),
                listed("src/test/quarkus-app-its.txt"), "src/test/quarkus-app-its.txt");
    }

    private static List<String> listed(String file) throws IOException {
        return Files.readAllLines(Path.of(file)).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).sorted().toList();
    }

    private static boolean startsQuarkus(Class<?> type) {
        return QUARKUS_STARTS.stream().anyMatch(type::isAnnotationPresent);
    }

    private static boolean tagged(Class<?> type) {
        return Arrays.stream(type.getAnnotationsByType(Tag.class)).anyMatch(tag -> tag.value().equals(QuarkusAppTests.TAG));
    }

    private static Stream<Class<?>> testClasses() throws IOException, URISyntaxException {
        Path root = Path.of(QuarkusAppTestsTaggedTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            List<String> names = files.map(root::relativize).map(Path::toString)
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
            return names.stream().map(QuarkusAppTestsTaggedTest::load);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, QuarkusAppTestsTaggedTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
