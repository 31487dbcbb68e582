package io.github.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects one value of the hook's {@link Logs} into a parameter of a hook method.
 *
 * <p>On a {@code double} parameter the value is {@link Double#NaN} when the key is absent; on an
 * {@link java.util.OptionalDouble} parameter it is empty. For example:
 *
 * <pre>{@code
 * @OnEpochEnd
 * void record(int epoch, @Metric("val_loss") double valLoss) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Metric {
  /** The log key, for example {@code "loss"} or {@code "val_accuracy"}; must not be empty. */
  String value();
}
