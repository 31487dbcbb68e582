/**
 * The callbacks on Deeplearning4j networks: {@link io.github.callbacks4j.dl4j.Dl4jTraining} trains,
 * evaluates and predicts with a {@code MultiLayerNetwork} or {@code ComputationGraph} through the
 * callbacks' Keras loop (every hook, validation, step groups, exact resume);
 * {@link io.github.callbacks4j.dl4j.Dl4jModel} is the callbacks' {@link io.github.callbacks4j.Model}
 * over such a network; {@link io.github.callbacks4j.dl4j.CallbackListener} runs callbacks from
 * DL4J's own {@code fit(iterator, epochs)} (the partial path).
 */
package io.github.callbacks4j.dl4j;
