/**
 * What the engine and the built-in callbacks share about state that outlives a run: files written
 * so a crash leaves the old or the whole new one ({@link io.github.callbacks4j.state.AtomicFiles}),
 * files read as untrusted input ({@link io.github.callbacks4j.state.UntrustedJson}, and {@link
 * io.github.callbacks4j.state.JsonFields}, which the model files' and the backups' readers share),
 * and the contract by which a callback resumes an interrupted fit ({@link
 * io.github.callbacks4j.state.Resumable}).
 *
 * <p>Why a package of its own: the loop ({@code runtime}) needs the resume contract and adds the
 * built-in {@code History} and {@code ProgbarLogger}, so it depends on {@code callbacks}; the
 * built-ins need atomic writes, safe reads and the resume contract. Kept in {@code runtime}, those
 * made the two packages import each other. Here, {@code callbacks} depends on the api and this
 * package only, {@code runtime} on both, and engines in other modules (such as Deeplearning4j's)
 * use the same atomic writes and resume contract without reaching into either. It depends on the
 * api and ND4J's shaded Jackson only.
 */
package io.github.callbacks4j.state;
