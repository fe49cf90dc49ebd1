package dev.exchangemaildaemon.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.exchangemaildaemon.cli.Main;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;

/**
 * What the native executable needs and the JVM does not, checked on the JVM (there is no GraalVM on the
 * development machines): reflection registrations for the daemon's own JSON and XML, and the {@code https} URL
 * protocol that MSAL4J needs for every token.
 */
class NativeReadinessTest {

    @Test
    void theNativeBuildEnablesTheHttpsUrlProtocolThatMsalNeeds() throws Exception {
        // the build's configuration: application.yaml in the prod profile, under the pom's native profile
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile("prod")
                .withSources(new YamlConfigSource(classes().resolve("application.yaml").toUri().toURL()))
                .withSources(new PropertiesConfigSource(nativeProfileProperties(), "pom.xml profile native", 400))
                .build();

        // Quarkus then adds https to --enable-url-protocols; without it MSAL4J fails at its first java.net.URL
        assertEquals(Optional.of(true), config.getOptionalValue("quarkus.ssl.native", Boolean.class),
                "quarkus.ssl.native must be true: MSAL4J builds https java.net.URLs, which a native image refuses"
                        + " unless the https URL protocol is enabled at build time");
    }

    @Test
    void everyClassJacksonReadsOrWritesForTheDaemonIsRegisteredForReflection() throws URISyntaxException {
        Path classes = classes();
        JsonTypeScan.Result scan = JsonTypeScan.scan(classes, getClass().getClassLoader());

        assertEquals(Set.of(), scan.unresolved(), "the scan cannot tell which class reaches Jackson here: pass a"
                + " value of its own type (or a Class literal), not an Object or a Class from elsewhere");
        // a floor for the scan itself: the types whose absence broke the native executable (issue 13)
        assertTrue(scan.types().containsAll(List.of("dev/exchangemaildaemon/check/CheckReport",
                "dev/exchangemaildaemon/check/CheckOutcome", "dev/exchangemaildaemon/check/TestSend$Result",
                "dev/exchangemaildaemon/graph/GraphJson$Folder", "dev/exchangemaildaemon/graph/GraphJson$SendMail",
                "dev/exchangemaildaemon/graph/GraphJson$Recipient", "dev/exchangemaildaemon/graph/GraphJson$ReadFlag")),
                "the scan misses classes known to be (de)serialised: " + scan.types());

        Set<String> unregistered = new TreeSet<>(scan.types());
        unregistered.removeAll(ReflectionRegistrations.in(classes));
        assertEquals(Set.of(), unregistered, "Jackson reads or writes these by reflection, which a native image"
                + " only allows for registered classes: annotate each with @RegisterForReflection");
    }

    @Test
    void everyClassTheDaemonsJaxbContextBindsIsOneQuarkusJaxbRegisters() throws URISyntaxException {
        Path classes = classes();
        JaxbTypeScan.Result scan = JaxbTypeScan.scan(classes);

        // a floor for the scan itself: the envelope, a type reached through a field, and an adapter
        assertTrue(scan.bound().containsAll(List.of("dev/exchangemaildaemon/ews/soap/Envelope",
                "dev/exchangemaildaemon/ews/types/MessageType", "dev/exchangemaildaemon/ews/types/InstantAdapter")),
                "the scan misses classes known to be bound: " + scan.bound());

        Set<String> unseen = new TreeSet<>(scan.bound());
        unseen.removeAll(scan.seenByQuarkusJaxb());
        unseen.removeAll(ReflectionRegistrations.in(classes));
        assertEquals(Set.of(), unseen, "JAXB binds these by reflection, but quarkus-jaxb only registers classes with"
                + " a JAXB annotation (or named by @XmlSeeAlso or @XmlJavaTypeAdapter): annotate each (for example"
                + " @XmlAccessorType(XmlAccessType.FIELD)) or add @RegisterForReflection");
    }

    /** The daemon's compiled classes and resources (target/classes). */
    private static Path classes() throws URISyntaxException {
        return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The quarkus.* properties the pom's {@code native} profile sets for the build. */
    private static Map<String, String> nativeProfileProperties() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Map<String, String> properties = new HashMap<>();
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (!"native".equals(profile.getElementsByTagName("id").item(0).getTextContent().trim())) {
                continue;
            }
            NodeList sections = profile.getElementsByTagName("properties");
            for (int j = 0; j < sections.getLength(); j++) {
                NodeList children = sections.item(j).getChildNodes();
                for (int k = 0; k < children.getLength(); k++) {
                    if (children.item(k) instanceof Element property && property.getTagName().startsWith("quarkus.")) {
                        properties.put(property.getTagName(), property.getTextContent().trim());
                    }
                }
            }
        }
        return properties;
    }
}
