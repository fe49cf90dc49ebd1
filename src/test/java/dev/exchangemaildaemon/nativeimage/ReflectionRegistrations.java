package dev.exchangemaildaemon.nativeimage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InnerClassNode;

/**
 * Which compiled classes Quarkus registers for reflection in the native image because of
 * {@code @RegisterForReflection}: the annotated class, the classes it names ({@code targets}, {@code classNames}),
 * and its nested classes unless {@code ignoreNested = true}.
 */
final class ReflectionRegistrations {

    private static final String ANNOTATION = "Lio/quarkus/runtime/annotations/RegisterForReflection;";

    private ReflectionRegistrations() {
    }

    /** The internal names of the registered classes among those under {@code classes}. */
    static Set<String> in(Path classes) {
        Map<String, ClassNode> nodes = CompiledClasses.read(classes, ClassReader.SKIP_CODE);
        Set<String> registered = new HashSet<>();
        Set<String> withNested = new HashSet<>();
        for (ClassNode node : nodes.values()) {
            AnnotationNode annotation = annotation(node);
            if (annotation == null) {
                continue;
            }
            Map<String, Object> values = values(annotation);
            List<?> targets = (List<?>) values.getOrDefault("targets", List.of());
            List<?> names = (List<?>) values.getOrDefault("classNames", List.of());
            Set<String> these = new HashSet<>();
            if (targets.isEmpty() && names.isEmpty()) {
                these.add(node.name);
            }
            targets.forEach(target -> these.add(((Type) target).getInternalName()));
            names.forEach(name -> these.add(((String) name).replace('.', '/')));
            registered.addAll(these);
            if (!Boolean.TRUE.equals(values.get("ignoreNested"))) {
                withNested.addAll(these);
            }
        }
        // nested classes of a registered class, at any depth
        for (ClassNode node : nodes.values()) {
            for (String outer = outer(node); outer != null; outer = nodes.containsKey(outer) ? outer(nodes.get(outer))
                    : null) {
                if (withNested.contains(outer)) {
                    registered.add(node.name);
                    break;
                }
            }
        }
        return registered;
    }

    private static AnnotationNode annotation(ClassNode node) {
        List<AnnotationNode> all = new ArrayList<>();
        if (node.visibleAnnotations != null) {
            all.addAll(node.visibleAnnotations);
        }
        if (node.invisibleAnnotations != null) {
            all.addAll(node.invisibleAnnotations);
        }
        return all.stream().filter(annotation -> annotation.desc.equals(ANNOTATION)).findFirst().orElse(null);
    }

    private static Map<String, Object> values(AnnotationNode annotation) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; annotation.values != null && i < annotation.values.size(); i += 2) {
            values.put((String) annotation.values.get(i), annotation.values.get(i + 1));
        }
        return values;
    }

    private static String outer(ClassNode node) {
        for (InnerClassNode inner : node.innerClasses) {
            if (inner.name.equals(node.name)) {
                return inner.outerName;
            }
        }
        return null;
    }
}
