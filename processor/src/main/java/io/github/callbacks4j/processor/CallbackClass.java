package io.github.callbacks4j.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.github.callbacks4j.Hook;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.TypeElement;

/**
 * A valid annotated class, ready for generation: its hook methods in call order (superclass methods
 * first, then source order; an overridden method once).
 */
record CallbackClass(
    TypeElement element,
    TypeName targetType,
    ClassName adapterName,
    List<HookMethod> methods,
    List<TypeElement> originatingTypes) {

  Set<Hook> hooks() {
    EnumSet<Hook> hooks = EnumSet.noneOf(Hook.class);
    methods.forEach(method -> hooks.addAll(method.hooks()));
    return hooks;
  }

  List<HookMethod> methodsFor(Hook hook) {
    return methods.stream().filter(method -> method.hooks().contains(hook)).toList();
  }

  boolean uses(HookMethod.Argument.Kind kind) {
    return methods.stream().anyMatch(method -> method.uses(kind));
  }
}
