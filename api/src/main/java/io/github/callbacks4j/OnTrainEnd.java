package io.github.callbacks4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method to run on Keras's {@code on_train_end} hook ({@link Hook#TRAIN_END}): once when {@code fit} ends, with the last epoch's logs.
 *
 * <p>The method may declare, in any order and each at most once: {@link Logs}, {@link Model},
 * {@link Params}, and any number of {@code @}{@link Metric}{@code ("key") double} or
 * {@code OptionalDouble} parameters. It returns {@code void} and is neither {@code private} nor
 * {@code static}. The annotation processor checks all of this at compile time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnTrainEnd {}
