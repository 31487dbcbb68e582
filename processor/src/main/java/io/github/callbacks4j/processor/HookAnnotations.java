package io.github.callbacks4j.processor;

import io.github.callbacks4j.Hook;
import io.github.callbacks4j.Metric;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** Reads hook and {@code @Metric} annotations off elements, by name (they are CLASS-retained). */
final class HookAnnotations {
  static final String METRIC = Metric.class.getCanonicalName();

  private static final Map<String, Hook> BY_NAME =
      Stream.of(Hook.values())
          .collect(Collectors.toUnmodifiableMap(h -> h.annotation().getCanonicalName(), Function.identity()));

  private HookAnnotations() {}

  /** Canonical names of the annotations the processor handles. */
  static Set<String> supportedTypes() {
    return Stream.concat(BY_NAME.keySet().stream(), Stream.of(METRIC)).collect(Collectors.toSet());
  }

  /** The hooks whose annotations {@code method} carries, in {@link Hook} order. */
  static Set<Hook> hooksOf(Element method) {
    EnumSet<Hook> hooks = EnumSet.noneOf(Hook.class);
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      Hook hook = BY_NAME.get(nameOf(mirror));
      if (hook != null) {
        hooks.add(hook);
      }
    }
    return hooks;
  }

  /** The key of the {@code @Metric} on {@code parameter}, if it has one. */
  static Optional<String> metricKeyOf(Element parameter) {
    for (AnnotationMirror mirror : parameter.getAnnotationMirrors()) {
      if (nameOf(mirror).equals(METRIC)) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
            mirror.getElementValues().entrySet()) {
          if (entry.getKey().getSimpleName().contentEquals("value")) {
            return Optional.of(String.valueOf(entry.getValue().getValue()));
          }
        }
        return Optional.of("");
      }
    }
    return Optional.empty();
  }

  /** {@code @OnEpochEnd}. */
  static String display(Hook hook) {
    return "@" + hook.annotation().getSimpleName();
  }

  /** {@code @OnEpochEnd} or {@code @OnEpochEnd/@OnTrainEnd}. */
  static String display(Set<Hook> hooks) {
    return hooks.stream().map(HookAnnotations::display).collect(Collectors.joining("/"));
  }

  private static String nameOf(AnnotationMirror mirror) {
    return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
  }
}
