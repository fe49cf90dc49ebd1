package dev.exchangemaildaemon.nativeimage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;
import org.objectweb.asm.tree.analysis.Value;

/**
 * Finds, in the compiled daemon, every class of its own that Jackson reads or writes by reflection: what flows into
 * an {@code ObjectMapper}/{@code ObjectWriter}/{@code ObjectReader} read or write (a {@code Class} literal, or the
 * static type of the value written) or into a JAX-RS {@code Response} entity, followed through the daemon's own
 * methods (a parameter that reaches Jackson makes the callers' arguments reach it), lambdas, and record
 * components (their types, generic arguments included, and what is passed for a component typed {@code Object}).
 *
 * <p>Where the scan cannot tell which class arrives (an {@code Object} or {@code Class} from a field, say) it says
 * so in {@link Result#unresolved()} rather than guess: the guard fails closed, and the fix is a typed value.
 */
final class JsonTypeScan {

    private static final String OWN = "dev/exchangemaildaemon/";
    private static final String OBJECT = "java/lang/Object";
    private static final String CLASS = "java/lang/Class";

    /** The classes found, and each place where the type reaching Jackson could not be told. */
    record Result(Set<String> types, Set<String> unresolved) {
    }

    /** A parameter of a method (or constructor): {@code index} counts the declared parameters from 0. */
    private record Slot(String owner, String name, String desc, int index) {
    }

    /** A call in a method: which parameter of the target each stack argument fills ({@code -1}: the receiver). */
    private record Call(ClassNode caller, MethodNode method, AbstractInsnNode insn, String owner, String name,
                        String desc, int[] parameterOfArgument, int argumentCount) {
    }

    private final Map<String, ClassNode> classes = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final Map<MethodNode, Frame<?>[]> sources = new HashMap<>();
    private final Map<MethodNode, Frame<?>[]> types = new HashMap<>();
    private final Set<Slot> sinks = new LinkedHashSet<>();
    private final Set<String> found = new TreeSet<>();
    private final Set<String> unresolved = new TreeSet<>();
    private final ClassLoader loader;

    private JsonTypeScan(ClassLoader loader) {
        this.loader = loader;
    }

    /** Scans the class files under {@code classes}, loading types for the flow analysis with {@code loader}. */
    static Result scan(Path classes, ClassLoader loader) {
        JsonTypeScan scan = new JsonTypeScan(loader);
        scan.read(classes);
        scan.run();
        return new Result(scan.found, scan.unresolved);
    }

    private void read(Path root) {
        classes.putAll(CompiledClasses.read(root, ClassReader.SKIP_FRAMES));
        for (ClassNode node : classes.values()) {
            for (MethodNode method : node.methods) {
                for (AbstractInsnNode insn : method.instructions) {
                    Call call = call(node, method, insn);
                    if (call != null) {
                        calls.add(call);
                    }
                }
            }
        }
    }

    private static Call call(ClassNode node, MethodNode method, AbstractInsnNode insn) {
        if (insn instanceof MethodInsnNode invoke) {
            int parameters = Type.getArgumentTypes(invoke.desc).length;
            boolean receiver = invoke.getOpcode() != Opcodes.INVOKESTATIC;
            int[] mapping = new int[parameters + (receiver ? 1 : 0)];
            for (int i = 0; i < mapping.length; i++) {
                mapping[i] = receiver ? i - 1 : i;
            }
            return new Call(node, method, insn, invoke.owner, invoke.name, invoke.desc, mapping, mapping.length);
        }
        if (insn instanceof InvokeDynamicInsnNode indy && indy.bsmArgs.length > 1
                && indy.bsmArgs[1] instanceof Handle target) {
            // a lambda or method reference: the captured values fill the target's first parameters
            int captured = Type.getArgumentTypes(indy.desc).length;
            boolean receiver = target.getTag() == Opcodes.H_INVOKEVIRTUAL || target.getTag() == Opcodes.H_INVOKESPECIAL
                    || target.getTag() == Opcodes.H_INVOKEINTERFACE;
            int[] mapping = new int[captured];
            for (int i = 0; i < captured; i++) {
                mapping[i] = receiver ? i - 1 : i;
            }
            return new Call(node, method, insn, target.getOwner(), target.getName(), target.getDesc(), mapping,
                    captured);
        }
        return null;
    }

    private void run() {
        boolean changed = true;
        while (changed) {
            int before = sinks.size() + found.size() + unresolved.size();
            for (Call call : calls) {
                for (int argument = 0; argument < call.argumentCount(); argument++) {
                    int parameter = call.parameterOfArgument()[argument];
                    if (parameter < 0) {
                        continue;
                    }
                    String kind = sinkKind(call, parameter);
                    if (kind != null) {
                        follow(call, argument, kind);
                    }
                }
            }
            for (String type : List.copyOf(found)) {
                components(type);
            }
            changed = sinks.size() + found.size() + unresolved.size() != before;
        }
    }

    /** {@code Object} or {@code Class} when the parameter reaches Jackson, else null. */
    private String sinkKind(Call call, int parameter) {
        Type type = Type.getArgumentTypes(call.desc())[parameter];
        String name = type.getSort() == Type.OBJECT ? type.getInternalName() : null;
        if (name == null) {
            return null;
        }
        if (sinks.contains(new Slot(call.owner(), call.name(), call.desc(), parameter))) {
            return name.equals(CLASS) ? CLASS : OBJECT;
        }
        if (!name.equals(OBJECT) && !name.equals(CLASS)) {
            return null;
        }
        boolean jackson = call.owner().startsWith("com/fasterxml/jackson/databind/Object")
                && (call.name().startsWith("read") || call.name().startsWith("write")
                        || Set.of("convertValue", "treeToValue", "valueToTree", "updateValue", "forType")
                                .contains(call.name()));
        boolean entity = call.owner().startsWith("jakarta/ws/rs/core/Response")
                && (call.name().equals("entity") || call.name().equals("ok"));
        return jackson || entity ? name : null;
    }

    /** Where the value at {@code argument} of the call comes from: a class found, a new sink, or unresolved. */
    private void follow(Call call, int argument, String kind) {
        Frame<SourceValue> sourceFrame = frame(call, true);
        Frame<BasicValue> typeFrame = frame(call, false);
        String where = call.caller().name + "." + call.method().name + " (" + call.owner() + "." + call.name() + ")";
        if (sourceFrame == null || typeFrame == null) {
            unresolved.add(where + ": cannot analyse the method");
            return;
        }
        int stack = sourceFrame.getStackSize() - call.argumentCount() + argument;
        for (AbstractInsnNode source : sourceFrame.getStack(stack).insns) {
            if (source.getOpcode() == Opcodes.ACONST_NULL) {
                continue;
            }
            if (source instanceof LdcInsnNode ldc && ldc.cst instanceof Type literal && kind.equals(CLASS)) {
                own(literal.getInternalName());
            } else if (source instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD
                    && parameter(call.method(), load.var) >= 0) {
                sinks.add(new Slot(call.caller().name, call.method().name, call.method().desc,
                        parameter(call.method(), load.var)));
            } else if (source instanceof MethodInsnNode invoke && component(invoke) >= 0) {
                sinks.add(new Slot(invoke.owner, "<init>", canonical(classes.get(invoke.owner)), component(invoke)));
            } else if (kind.equals(OBJECT)) {
                Type type = typeFrame.getStack(stack).getType();
                String name = type == null ? OBJECT : type.getInternalName();
                if (name.equals(OBJECT)) {
                    unresolved.add(where + ": an Object from " + describe(source));
                } else {
                    own(name);
                }
            } else {
                unresolved.add(where + ": a Class from " + describe(source));
            }
        }
    }

    private void own(String name) {
        if (name.startsWith(OWN) && classes.containsKey(name)) {
            found.add(name);
        }
    }

    /** A found class's record components (or fields): their types are written too. */
    private void components(String name) {
        ClassNode node = classes.get(name);
        if (node.recordComponents != null) {
            List<RecordComponentNode> components = node.recordComponents;
            for (int i = 0; i < components.size(); i++) {
                RecordComponentNode component = components.get(i);
                typesIn(component.signature != null ? component.signature : component.descriptor);
                if (component.descriptor.equals("L" + OBJECT + ";")) {
                    sinks.add(new Slot(name, "<init>", canonical(node), i));
                }
            }
        } else {
            for (FieldNode field : node.fields) {
                if ((field.access & Opcodes.ACC_STATIC) == 0) {
                    typesIn(field.signature != null ? field.signature : field.desc);
                }
            }
        }
    }

    private void typesIn(String signature) {
        new SignatureReader(signature).acceptType(new SignatureVisitor(Opcodes.ASM9) {
            @Override
            public void visitClassType(String name) {
                own(name);
            }

            @Override
            public void visitInnerClassType(String name) {
                // the reader reports Outer$Inner as the outer class then the inner simple name
            }
        });
    }

    /** The component index when the call is a record's accessor, else -1. */
    private int component(MethodInsnNode invoke) {
        ClassNode owner = classes.get(invoke.owner);
        if (owner == null || owner.recordComponents == null) {
            return -1;
        }
        for (int i = 0; i < owner.recordComponents.size(); i++) {
            RecordComponentNode component = owner.recordComponents.get(i);
            if (component.name.equals(invoke.name) && invoke.desc.equals("()" + component.descriptor)) {
                return i;
            }
        }
        return -1;
    }

    private static String canonical(ClassNode record) {
        StringBuilder desc = new StringBuilder("(");
        record.recordComponents.forEach(component -> desc.append(component.descriptor));
        return desc.append(")V").toString();
    }

    /** The declared parameter a local variable holds, or -1 (a local, or a parameter assigned anew). */
    private static int parameter(MethodNode method, int var) {
        int slot = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        Type[] parameters = Type.getArgumentTypes(method.desc);
        for (int i = 0; i < parameters.length; i++) {
            if (slot == var) {
                for (AbstractInsnNode insn : method.instructions) {
                    if (insn instanceof VarInsnNode store && store.getOpcode() == Opcodes.ASTORE && store.var == var) {
                        return -1;
                    }
                }
                return i;
            }
            slot += parameters[i].getSize();
        }
        return -1;
    }

    private static String describe(AbstractInsnNode source) {
        if (source instanceof MethodInsnNode invoke) {
            return "a call of " + invoke.owner + "." + invoke.name;
        }
        if (source instanceof FieldInsnNode field) {
            return "field " + field.owner + "." + field.name;
        }
        return "opcode " + source.getOpcode();
    }

    /** The frame before the call (its stack holds the arguments): of sources, or of static types. */
    @SuppressWarnings("unchecked")
    private <V extends Value> Frame<V> frame(Call call, boolean source) {
        Map<MethodNode, Frame<?>[]> cache = source ? sources : types;
        MethodNode method = call.method();
        if (!cache.containsKey(method)) {
            cache.put(method, analyse(call.caller(), method, source));
        }
        Frame<?>[] frames = cache.get(method);
        return frames == null ? null : (Frame<V>) frames[method.instructions.indexOf(call.insn())];
    }

    private Frame<?>[] analyse(ClassNode node, MethodNode method, boolean source) {
        try {
            if (source) {
                return new Analyzer<>(new SourceInterpreter()).analyze(node.name, method);
            }
            SimpleVerifier verifier = new SimpleVerifier(Type.getObjectType(node.name),
                    node.superName == null ? null : Type.getObjectType(node.superName),
                    node.interfaces.stream().map(Type::getObjectType).toList(),
                    (node.access & Opcodes.ACC_INTERFACE) != 0);
            verifier.setClassLoader(loader);
            return new Analyzer<>(verifier).analyze(node.name, method);
        } catch (AnalyzerException | RuntimeException e) {
            return null;
        }
    }
}
