package io.github.callbacks4j.processor;

import static io.github.callbacks4j.processor.HookAnnotations.display;
import static io.github.callbacks4j.processor.HookMethodValidator.signature;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Checks a class with hook methods as a whole (its kind, its nesting, the hooks it inherits) and
 * builds the {@link CallbackClass} model that generation needs.
 */
final class CallbackClassValidator {
  private final Elements elements;
  private final HookMethodValidator methodValidator;
  private final Predicate<TypeElement> inThisCompilation;

  /**
   * @param inThisCompilation whether a type is compiled from source now, so it reports its own
   *     errors and a subclass need not repeat them
   */
  CallbackClassValidator(
      Elements elements, HookMethodValidator methodValidator, Predicate<TypeElement> inThisCompilation) {
    this.elements = elements;
    this.methodValidator = methodValidator;
    this.inThisCompilation = inThisCompilation;
  }

  /** Whether the class or a hook method of its hierarchy names a type that does not exist (yet). */
  boolean referencesUndefinedTypes(TypeElement type) {
    for (TypeElement t : hierarchy(type)) {
      if (t.getSuperclass().getKind() == TypeKind.ERROR) {
        return true;
      }
      for (ExecutableElement method : hookMethodsOf(t)) {
        for (VariableElement parameter : method.getParameters()) {
          if (parameter.asType().getKind() == TypeKind.ERROR) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Validates {@code type} into {@code report}; returns its model when the report has no error. */
  Optional<CallbackClass> validate(TypeElement type, ValidationReport report) {
    if (!checkClassKind(type, report)) {
      return Optional.empty();
    }
    List<HookMethod> methods = new ArrayList<>();
    boolean valid = true;
    List<TypeElement> originating = new ArrayList<>();
    for (TypeElement declaring : hierarchy(type)) {
      List<ExecutableElement> hookMethods = hookMethodsOf(declaring);
      if (!hookMethods.isEmpty()) {
        originating.add(declaring);
      }
      for (ExecutableElement method : hookMethods) {
        Optional<HookMethod> hookMethod = declaring.equals(type)
            ? methodValidator.validate(method, report)
            : validateInherited(type, method, report);
        if (hookMethod.isEmpty()) {
          valid = false;
          continue;
        }
        merge(type, methods, hookMethod.get());
      }
    }
    if (!valid || !report.isClean()) {
      return Optional.empty();
    }
    return Optional.of(new CallbackClass(
        type, targetType(type), adapterName(type), List.copyOf(methods), List.copyOf(originating)));
  }

  private boolean checkClassKind(TypeElement type, ValidationReport report) {
    String problem = null;
    if (type.getKind() == ElementKind.INTERFACE || type.getKind() == ElementKind.ANNOTATION_TYPE) {
      problem = "is declared in " + (type.getKind() == ElementKind.INTERFACE ? "interface " : "annotation ")
          + type.getSimpleName() + ". Hook methods belong in a class: top-level, static nested or inner.";
    } else if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
      problem = "is in " + (type.getNestingKind() == NestingKind.LOCAL ? "a local" : "an anonymous")
          + " class, for which no adapter can be generated. Declare a top-level, static nested"
          + " or inner class, or implement Callback directly.";
    } else {
      for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
        if (t.getModifiers().contains(Modifier.PRIVATE)) {
          problem = "is in private class " + t.getQualifiedName() + ", which the generated adapter "
              + adapterName(type).simpleName() + " cannot reach. Make " + t.getSimpleName()
              + " package-private, protected or public.";
          break;
        }
      }
    }
    if (problem == null) {
      return true;
    }
    for (ExecutableElement method : hookMethodsOf(type)) {
      report.error(Rule.BAD_CLASS, method,
          display(HookAnnotations.hooksOf(method)) + " method " + signature(method) + " " + problem);
    }
    return false;
  }

  /** An inherited hook method: checked like an own one, plus whether the adapter may call it. */
  private Optional<HookMethod> validateInherited(
      TypeElement type, ExecutableElement method, ValidationReport report) {
    TypeElement declaring = (TypeElement) method.getEnclosingElement();
    String where = display(HookAnnotations.hooksOf(method)) + " method " + signature(method)
        + " inherited from " + declaring.getQualifiedName();
    ValidationReport own = new ValidationReport();
    Optional<HookMethod> hookMethod = methodValidator.validate(method, own);
    if (!own.isClean() && !inThisCompilation.test(declaring)) {
      // Compiled elsewhere, maybe without the processor: its errors only show up here.
      for (ValidationReport.Item item : own.items()) {
        if (item.kind() == javax.tools.Diagnostic.Kind.ERROR) {
          report.error(item.rule(), type, type.getSimpleName() + " inherits an invalid hook: "
              + item.message());
        }
      }
    }
    boolean samePackage =
        elements.getPackageOf(declaring).equals(elements.getPackageOf(type));
    if (hookMethod.isPresent() && !samePackage && !method.getModifiers().contains(Modifier.PUBLIC)) {
      report.error(Rule.INACCESSIBLE_METHOD, type, where + " is not public, so the adapter in "
          + elements.getPackageOf(type).getQualifiedName() + " cannot call it. Make it public in "
          + declaring.getSimpleName() + ", or override it in " + type.getSimpleName() + ".");
      return Optional.empty();
    }
    return hookMethod;
  }

  /** Adds {@code method}, or folds it into the superclass method it overrides (which runs once). */
  private void merge(TypeElement type, List<HookMethod> methods, HookMethod method) {
    for (int i = 0; i < methods.size(); i++) {
      HookMethod earlier = methods.get(i);
      if (elements.overrides(method.element(), earlier.element(), type)) {
        methods.set(i, method.withHooks(earlier.hooks()));
        return;
      }
    }
    methods.add(method);
  }

  /** The class and its superclasses, topmost ({@code Object}) first. */
  private static List<TypeElement> hierarchy(TypeElement type) {
    List<TypeElement> chain = new ArrayList<>();
    for (TypeElement t = type; t != null; t = superclassOf(t)) {
      chain.add(t);
    }
    Collections.reverse(chain);
    return chain;
  }

  private static TypeElement superclassOf(TypeElement type) {
    TypeMirror superclass = type.getSuperclass();
    return superclass.getKind() == TypeKind.DECLARED
        ? (TypeElement) ((DeclaredType) superclass).asElement()
        : null;
  }

  /** Methods declared in {@code type} with at least one hook annotation, in declaration order. */
  static List<ExecutableElement> hookMethodsOf(TypeElement type) {
    return ElementFilter.methodsIn(type.getEnclosedElements()).stream()
        .filter(method -> !HookAnnotations.hooksOf(method).isEmpty())
        .toList();
  }

  /** {@code com.acme.Outer.Inner} becomes {@code com.acme.Outer_Inner_Callback}. */
  static ClassName adapterName(TypeElement type) {
    ClassName name = ClassName.get(type);
    return ClassName.get(name.packageName(), String.join("_", name.simpleNames()) + "_Callback");
  }

  /** The type as the adapter names it: {@code Foo<?>} for a generic class, {@code Outer<?>.Inner}. */
  static TypeName targetType(TypeElement type) {
    Element enclosing = type.getEnclosingElement();
    boolean inner = type.getNestingKind() == NestingKind.MEMBER
        && !type.getModifiers().contains(Modifier.STATIC)
        && enclosing.getKind().isClass();
    if (inner && targetType((TypeElement) enclosing) instanceof ParameterizedTypeName outer) {
      // No wildcards for a class without type parameters: Outer<?>.Inner.
      return outer.nestedClass(type.getSimpleName().toString(), wildcards(type));
    }
    ClassName raw = ClassName.get(type);
    return type.getTypeParameters().isEmpty()
        ? raw
        : ParameterizedTypeName.get(raw, wildcards(type).toArray(TypeName[]::new));
  }

  private static List<TypeName> wildcards(TypeElement type) {
    return type.getTypeParameters().stream()
        .map(p -> (TypeName) WildcardTypeName.subtypeOf(Object.class))
        .toList();
  }
}
