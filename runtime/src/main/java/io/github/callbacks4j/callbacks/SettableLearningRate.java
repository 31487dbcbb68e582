package io.github.callbacks4j.callbacks;

import io.github.callbacks4j.Model;

/** The train-begin check of callbacks that set the learning rate. */
final class SettableLearningRate {
  private SettableLearningRate() {}

  /**
   * Fails before any epoch when the model's rate follows a schedule, which setting a fixed rate
   * would silently replace (Keras refuses to set a {@code LearningRateSchedule} too).
   */
  static void require(String callback, Model model) {
    if (model != null && model.hasLearningRateSchedule()) {
      throw new IllegalStateException(callback + " sets the learning rate, but this model's"
          + " updater follows a learning-rate schedule, which a fixed rate would replace: give"
          + " the updater a fixed rate to let " + callback + " change it, or drop " + callback);
    }
  }
}
