package dev.exchangemaildaemon.nativeimage;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds, in the compiled daemon, the classes its own {@code JAXBContext} binds: the class literals of each method
 * that calls {@code JAXBContext.newInstance}, and from them every class of the daemon's own reached through
 * superclasses, field types (generic arguments included) and class values of JAXB annotations
 * ({@code @XmlSeeAlso}, {@code @XmlJavaTypeAdapter}, {@code @XmlElement(type = ...)}). quarkus-jaxb registers for
 * reflection the classes that carry a JAXB annotation (on the class, a field or a method) and the classes named by
 * {@code @XmlSeeAlso} and {@code @XmlJavaTypeAdapter}; a bound class with none of these is invisible to it.
 */
final class JaxbTypeScan {

    private static final String OWN = "dev/exchangemaildaemon/";
    private static final String JAXB = "Ljakarta/xml/bind/annotation/";
    private static final Set<String> NAMING = Set.of("Ljakarta/xml/bind/annotation/XmlSeeAlso;",
            "Ljakarta/xml/bind/annotation/adapters/XmlJavaTypeAdapter;");

    /** The classes bound, and those among them quarkus-jaxb registers. */
    record Result(Set<String> bound, Set<String> seenByQuarkusJaxb) {
    }

    private JaxbTypeScan() {
    }

    static Result scan(Path classes) {
        Map<String, ClassNode> nodes = CompiledClasses.read(classes, ClassReader.SKIP_FRAMES);
        Set<String> seen = new TreeSet<>();
        Deque<String> work = new ArrayDeque<>();
        for (ClassNode node : nodes.values()) {
            for (MethodNode method : node.methods) {
                if (createsContext(method)) {
                    for (AbstractInsnNode insn : method.instructions) {
                        if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof Type literal) {
                            work.add(literal.getInternalName());
                        }
                    }
                }
            }
            for (AnnotationNode annotation : annotations(node)) {
                if (NAMING.contains(annotation.desc)) {
                    classValues(annotation).forEach(seen::add);
                }
            }
        }
        Set<String> bound = new TreeSet<>();
        while (!work.isEmpty()) {
            String name = work.pop();
            ClassNode node = nodes.get(name);
            if (node == null || !bound.add(name)) {
                continue;
            }
            if (node.superName != null) {
                work.add(node.superName);
            }
            for (FieldNode field : node.fields) {
                if ((field.access & Opcodes.ACC_STATIC) == 0) {
                    typesIn(field.signature != null ? field.signature : field.desc, work);
                }
            }
            List<AnnotationNode> jaxb = annotations(node).stream().filter(a -> a.desc.startsWith(JAXB)).toList();
            if (!jaxb.isEmpty()) {
                seen.add(name);
            }
            jaxb.forEach(annotation -> work.addAll(classValues(annotation)));
        }
        bound.removeIf(name -> !name.startsWith(OWN));
        seen.retainAll(bound);
        return new Result(bound, seen);
    }

    private static boolean createsContext(MethodNode method) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode invoke && invoke.owner.equals("jakarta/xml/bind/JAXBContext")
                    && invoke.name.equals("newInstance")) {
                return true;
            }
        }
        return false;
    }

    /** The annotations on the class, its fields and its methods. */
    private static List<AnnotationNode> annotations(ClassNode node) {
        List<AnnotationNode> all = new ArrayList<>();
        addAll(all, node.visibleAnnotations);
        addAll(all, node.invisibleAnnotations);
        node.fields.forEach(field -> {
            addAll(all, field.visibleAnnotations);
            addAll(all, field.invisibleAnnotations);
        });
        node.methods.forEach(method -> {
            addAll(all, method.visibleAnnotations);
            addAll(all, method.invisibleAnnotations);
        });
        return all;
    }

    private static void addAll(List<AnnotationNode> all, List<AnnotationNode> some) {
        if (some != null) {
            all.addAll(some);
        }
    }

    /** The classes an annotation names, in any of its values, nested annotations included. */
    private static List<String> classValues(AnnotationNode annotation) {
        List<String> names = new ArrayList<>();
        for (int i = 1; annotation.values != null && i < annotation.values.size(); i += 2) {
            collect(annotation.values.get(i), names);
        }
        return names;
    }

    private static void collect(Object value, List<String> names) {
        if (value instanceof Type type && type.getSort() == Type.OBJECT) {
            names.add(type.getInternalName());
        } else if (value instanceof AnnotationNode nested) {
            names.addAll(classValues(nested));
        } else if (value instanceof List<?> list) {
            list.forEach(element -> collect(element, names));
        }
    }

    private static void typesIn(String signature, Deque<String> work) {
        new SignatureReader(signature).acceptType(new SignatureVisitor(Opcodes.ASM9) {
            @Override
            public void visitClassType(String name) {
                work.add(name);
            }
        });
    }
}
