package io.github.callbacks4j;

/**
 * An opaque snapshot of a model's weights (and optimizer state), taken by {@link Model#snapshot()}
 * and given back to {@link Model#restore(ModelState)} of the same model. Later training does not
 * change it.
 */
public interface ModelState {}
