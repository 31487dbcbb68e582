package io.github.callbacks4j;

import java.util.Objects;

/**
 * What a generated adapter throws when an annotated hook method fails: it names the class, the
 * method and the hook, and carries the method's exception as its cause.
 */
public final class CallbackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String callbackClass;
  private final String method;
  private final Hook hook;

  /**
   * @param callbackClass the binary name of the class that declares the method
   * @param method the method's simple name
   * @param hook the hook that was running
   * @param cause what the method threw
   */
  public CallbackException(String callbackClass, String method, Hook hook, Throwable cause) {
    super(
        callbackClass + "." + method + " failed in @" + hook.annotation().getSimpleName() + ": " + cause,
        cause);
    this.callbackClass = Objects.requireNonNull(callbackClass, "callbackClass");
    this.method = Objects.requireNonNull(method, "method");
    this.hook = hook;
  }

  /**
   * What an adapter throws for {@code cause}: the cause itself when it already is a
   * CallbackException (from a nested callback list), otherwise a new one naming the method.
   */
  public static CallbackException wrap(Throwable cause, String callbackClass, String method, Hook hook) {
    return cause instanceof CallbackException callbackException
        ? callbackException
        : new CallbackException(callbackClass, method, hook, cause);
  }

  /** The binary name of the class that declares the failing method. */
  public String callbackClass() {
    return callbackClass;
  }

  /** The failing method's simple name. */
  public String method() {
    return method;
  }

  public Hook hook() {
    return hook;
  }
}
