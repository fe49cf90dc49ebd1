package dev.exchangemaildaemon.nativeimage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/** The class files under a directory (target/classes), by internal name. */
final class CompiledClasses {

    private CompiledClasses() {
    }

    /** @param flags {@link ClassReader} parsing options, such as {@link ClassReader#SKIP_CODE} */
    static Map<String, ClassNode> read(Path root, int flags) {
        Map<String, ClassNode> nodes = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    ClassNode node = new ClassNode();
                    new ClassReader(in).accept(node, flags);
                    nodes.put(node.name, node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nodes;
    }
}
