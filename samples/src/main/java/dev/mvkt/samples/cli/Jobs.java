package dev.mvkt.samples.cli;

import dev.mvkt.backbones.EcgNetwork;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many models a run trains at once ({@code --jobs N}). Every training and its evaluation takes one of N permits;
 * with N above one it runs its numeric kernels on one thread, so N trainings share N cores instead of each spreading
 * over all of them. The small networks of the experiments gain little from a second thread per model (on two cores,
 * one model trains ≈ 1.3x faster with two threads), so two models at once on one thread each finish sooner: three
 * seeds of {@code experiment fractions} took 42 min on a quiet 2-core machine, against about 64 one at a time.
 * With N = 1 nothing changes: one model at a time, kernels on every core.
 * <p>A training started with {@link #submit} runs on a pool thread; one started with {@link #run} runs on the
 * caller's. Either waits for a permit, first come first served. Work holding a permit never waits for other work,
 * so the pool cannot deadlock.
 */
final class Jobs implements AutoCloseable {
    private final int size;
    private final Semaphore permits;
    private final ExecutorService pool;

    Jobs(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1, was " + size);
        }
        this.size = size;
        this.permits = new Semaphore(size, true);
        AtomicInteger n = new AtomicInteger();
        // As many threads as permits: each keeps its engine memory between jobs (DL4J's per-thread workspaces), so
        // a thread per queued job would hold dozens of copies.
        this.pool = size == 1 ? null : Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "mvkt-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** How many trainings may run at once. */
    int size() {
        return size;
    }

    /** Whether trainings may run at the same time (and so on one kernel thread each). */
    boolean parallel() {
        return size > 1;
    }

    /** Runs {@code work} on this thread once a permit is free, on one kernel thread when {@link #parallel()}. */
    <T> T run(Callable<T> work) throws IOException {
        if (!parallel()) {
            return call(work);
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free job");
        }
        try {
            return unwrap(() -> EcgNetwork.singleThreaded(() -> {
                try {
                    return call(work);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } finally {
            // The next job on this thread may be another network; a seed's thread waits for its students next.
            EcgNetwork.releaseThreadMemory();
            permits.release();
        }
    }

    /**
     * Starts {@code work} on a pool thread (it then waits for a permit); without {@link #parallel()}, runs it now, and
     * its failure ends the run at once, as it did before there were jobs (no further model is trained after it).
     */
    <T> Future<T> submit(Callable<T> work) throws IOException {
        if (!parallel()) {
            return CompletableFuture.completedFuture(call(work));
        }
        return pool.submit(() -> run(work));
    }

    /** The value of a submitted job, with its own exception when it failed. */
    static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a job");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Stops waiting jobs (a failure elsewhere ends the run); running trainings finish their step. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private static <T> T call(Callable<T> work) throws IOException {
        try {
            return work.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T unwrap(java.util.function.Supplier<T> work) throws IOException {
        try {
            return work.get();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
