package io.github.callbacks4j.processor;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import io.github.callbacks4j.Hook;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Reports hook methods of local and anonymous classes, which javac does not show to annotation
 * processors: after each class is analyzed, its trees are scanned for such methods.
 */
final class LocalClassHookChecker implements TaskListener {
  private final Trees trees;

  LocalClassHookChecker(Trees trees) {
    this.trees = trees;
  }

  @Override
  public void finished(TaskEvent event) {
    if (event.getKind() != TaskEvent.Kind.ANALYZE || event.getTypeElement() == null) {
      return;
    }
    TreePath path = trees.getPath(event.getTypeElement());
    if (path != null && mayMentionHooks(event.getCompilationUnit())) {
      new Scanner(event.getCompilationUnit()).scan(path, null);
    }
  }

  /** A file whose text names no hook annotation needs no scan (generated adapters, most code). */
  private static boolean mayMentionHooks(CompilationUnitTree unit) {
    try {
      String text = unit.getSourceFile().getCharContent(true).toString();
      return text.contains("OnTrain") || text.contains("OnEpoch") || text.contains("OnTest")
          || text.contains("OnPredict");
    } catch (java.io.IOException e) {
      return true;
    }
  }

  private final class Scanner extends TreePathScanner<Void, Void> {
    private final CompilationUnitTree unit;

    Scanner(CompilationUnitTree unit) {
      this.unit = unit;
    }

    @Override
    public Void visitClass(ClassTree classTree, Void unused) {
      Element element = trees.getElement(getCurrentPath());
      if (element instanceof TypeElement type
          && (type.getNestingKind() == NestingKind.LOCAL
              || type.getNestingKind() == NestingKind.ANONYMOUS)) {
        for (Tree member : classTree.getMembers()) {
          if (member instanceof MethodTree method) {
            report(method, type);
          }
        }
      }
      return super.visitClass(classTree, unused);
    }

    private void report(MethodTree method, TypeElement type) {
      Element element = trees.getElement(new TreePath(getCurrentPath(), method));
      Set<Hook> hooks = element == null ? Set.of() : HookAnnotations.hooksOf(element);
      if (hooks.isEmpty()) {
        return;
      }
      String kind = type.getNestingKind() == NestingKind.LOCAL
          ? "local class " + type.getSimpleName()
          : "an anonymous class";
      trees.printMessage(Diagnostic.Kind.ERROR, Rule.BAD_CLASS.format(
          HookAnnotations.display(hooks) + " method " + method.getName() + " is in " + kind
              + ", for which no adapter can be generated. Declare a top-level, static nested or"
              + " inner class, or implement Callback directly."), method, unit);
    }
  }
}
