package io.github.callbacks4j.processor;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * Test sources analyzed by javac without the processor, with every class they declare, local and
 * anonymous ones included (which javac never shows to processors), for the validator to be run on
 * directly.
 */
final class Analyzed {
  private final JavacTask task;
  private final List<TypeElement> types;

  private Analyzed(JavacTask task, List<TypeElement> types) {
    this.task = task;
    this.types = types;
  }

  static Analyzed of(JavaFileObject... sources) {
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler().getTask(
        null, null, diagnostics, List.of("-proc:none"), null, List.of(sources));
    try {
      Iterable<? extends CompilationUnitTree> units = task.parse();
      task.analyze();
      if (!diagnostics.getDiagnostics().isEmpty()) {
        throw new AssertionError("the test sources do not compile: " + diagnostics.getDiagnostics());
      }
      Trees trees = Trees.instance(task);
      List<TypeElement> types = new ArrayList<>();
      for (CompilationUnitTree unit : units) {
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree tree, Void unused) {
            Element element = trees.getElement(getCurrentPath());
            if (element instanceof TypeElement type) {
              types.add(type);
            }
            return super.visitClass(tree, unused);
          }
        }.scan(unit, null);
      }
      return new Analyzed(task, types);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Elements elements() {
    return task.getElements();
  }

  /** The class named {@code simpleName}, wherever it is declared. */
  TypeElement type(String simpleName) {
    return types.stream().filter(t -> t.getSimpleName().contentEquals(simpleName)).findFirst()
        .orElseThrow(() -> new AssertionError("no class " + simpleName + " in " + types));
  }

  /** The first anonymous class. */
  TypeElement anonymous() {
    return types.stream().filter(t -> t.getNestingKind() == NestingKind.ANONYMOUS).findFirst()
        .orElseThrow(() -> new AssertionError("no anonymous class in " + types));
  }
}
