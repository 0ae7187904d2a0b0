package dev.mvkt.samples.cli;

import dev.mvkt.api.EcgDataset;
import dev.mvkt.core.ModelFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code mvkt}: trains, evaluates and diagnoses with MVKT-ECG, and reruns the paper's experiments.
 * <p>Exit codes: 0 done; 1 the run failed (unreadable data, a non-finite loss, a damaged model file), with one
 * line saying why; 2 bad arguments, with one line saying which.
 */
@Command(name = "mvkt", mixinStandardHelpOptions = true, versionProvider = MvktCli.Version.class,
        description = "MVKT-ECG: a 12-lead teacher distilled into a single-lead student. Every command that trains "
                + "writes report.md, results.json, PNG plots and the models with their provenance into --out.",
        subcommands = {TrainCommands.TeacherCommand.class, TrainCommands.DistillCommand.class,
                TrainCommands.EvaluateCommand.class, TrainCommands.DiagnoseCommand.class, ExportCommand.class,
                ScoreCommand.class,
                Experiments.ExperimentCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Quick synthetic run: mvkt experiment table2 --train 64 --val 32 --test 32 --epochs 1 --width 4"})
public final class MvktCli implements Runnable {
    @Spec
    CommandSpec spec;

    /** The command line as typed, for the reports. */
    static String commandLine = "mvkt";
    /** Where progress and log lines go (standard error, or a test's stream). */
    static PrintStream log = System.err;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line and returns its exit code (0 done, 1 failed, 2 bad arguments). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        // XChart draws with AWT; on a server or in CI there is no display.
        System.setProperty("java.awt.headless", "true");
        log = err;
        commandLine = Stream.concat(Stream.of("mvkt"), Stream.of(args).map(MvktCli::quote))
                .collect(Collectors.joining(" "));
        CommandLine cl = new CommandLine(new MvktCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            String sub = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(sub + ": " + e.getMessage() + " (see '" + sub + " --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                failure(e, commandLine.getCommandSpec().qualifiedName(), err));
        return cl.execute(args);
    }

    /**
     * Prints a failed run as one line and returns its exit code: 2 for bad arguments (core's argument checks
     * included), 1 for a run that failed on its data, its files or its numbers (a non-finite loss names the epoch
     * and step). Anything else is a bug, and its stack trace is what a bug report needs.
     */
    static int failure(Exception e, String command, PrintStream err) {
        if (e instanceof IllegalArgumentException) {
            err.println(command + ": " + oneLine(e.getMessage()) + " (see '" + command + " --help')");
            return 2;
        }
        if (e instanceof IllegalStateException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof ModelFormatException) {
            err.println(command + ": error: " + oneLine(e.getMessage()));
            return 1;
        }
        err.println(command + ": unexpected " + e);
        e.printStackTrace(err);
        return 1;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s*\\R\\s*", " ");
    }

    private static String quote(String a) {
        return a.isEmpty() || a.chars().anyMatch(c -> " \t\"'$\\".indexOf(c) >= 0) ? "'" + a.replace("'", "'\\''")
                + "'" : a;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a command: teacher, distill, evaluate, diagnose, "
                + "export, score or experiment");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MvktCli.class.getPackage().getImplementationVersion();
            return new String[]{"mvkt " + (v == null ? "(development build)" : v)};
        }
    }

    /**
     * The skeleton of every command that produces a report: validate the options, load the data, run, write the
     * report, say where it is.
     */
    abstract static class ReportCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        abstract Options.DataOptions dataOptions();

        abstract Settings settings();

        /** Checks the options before anything slow happens. */
        abstract void validate();

        /** Trains and evaluates into {@code session}, and adds the command's own tables to {@code report}. */
        abstract void run(Session session, Report report) throws IOException;

        abstract String title();

        /**
         * After every seed of a {@code --seeds} run, once {@code OUT/report.md} is written: the command's own
         * figures and tables across seeds (default none).
         */
        void afterSeeds(Path out, List<Session> sessions) throws IOException {
        }

        /** One complete run of the command with one seed, into {@code out}. */
        private Session runOnce(Options.DataOptions d, Path out, Settings settings, String title, long seed,
                                Jobs jobs, PrintStream log) throws IOException {
            Files.createDirectories(out);
            long t0 = System.nanoTime();
            EcgDataset data = d.data.load(seed, d.train, d.val, d.test, d.splitDir, d.cacheDir);
            log.printf(Locale.ROOT, "data: %s; %d / %d / %d records (%.1f s)%n", data.identity(),
                    data.train().size(), data.val().size(), data.test().size(), (System.nanoTime() - t0) / 1e9);
            Session session = new Session(out, data, settings, log, jobs);
            Report report = new Report(title, commandLine, session);
            run(session, report);
            report.write();
            return session;
        }

        @Override
        public Integer call() throws IOException {
            validate();
            Options.DataOptions d = dataOptions();
            d.validate();
            Path out = d.out(spec.name());
            Files.createDirectories(out);
            long t0 = System.nanoTime();
            Settings settings = settings();
            try (Jobs jobs = new Jobs(settings.jobs())) {
                // Several models at once: whole lines only, so that theirs do not break into each other.
                PrintStream lines = jobs.parallel() ? LogLines.to(log, "") : log;
                if (d.seeds == null) {
                    runOnce(d, out, settings, title(), d.seed, jobs, lines);
                } else {
                    List<Session> sessions = jobs.parallel() ? seedsAtOnce(d, out, settings, jobs)
                            : seedsInTurn(d, out, settings, jobs);
                    SeedReport.write(out, title(), commandLine, sessions);
                    afterSeeds(out, sessions);
                }
            }
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "report: %s (%.1f s)%n", out.resolve("report.md"), (System.nanoTime() - t0) / 1e9);
            o.flush();
            return 0;
        }

        private List<Session> seedsInTurn(Options.DataOptions d, Path out, Settings settings, Jobs jobs)
                throws IOException {
            List<Session> sessions = new ArrayList<>();
            for (long seed : d.seeds) {
                log.printf(Locale.ROOT, "=== seed %d (%d of %d)%n", seed, sessions.size() + 1, d.seeds.size());
                sessions.add(runOnce(d, out.resolve("seed-" + seed), settings.withSeed(seed),
                        title() + " (seed " + seed + ")", seed, jobs, log));
            }
            return sessions;
        }

        /**
         * Every seed on its own thread: their trainings queue for the jobs' permits, so N cores stay busy until the
         * last models, instead of idling while the last seed trains alone. Each seed's lines start with its seed.
         */
        private List<Session> seedsAtOnce(Options.DataOptions d, Path out, Settings settings, Jobs jobs)
                throws IOException {
            log.printf(Locale.ROOT, "=== seeds %s side by side, %d models at a time, one thread each%n", d.seeds,
                    jobs.size());
            java.util.concurrent.ExecutorService seedThreads = java.util.concurrent.Executors.newFixedThreadPool(
                    d.seeds.size(), r -> {
                        Thread t = new Thread(r, "mvkt-seed");
                        t.setDaemon(true);
                        return t;
                    });
            try {
                List<java.util.concurrent.Future<Session>> futures = new ArrayList<>();
                for (long seed : d.seeds) {
                    PrintStream seedLog = LogLines.to(log, "[seed " + seed + "] ");
                    futures.add(seedThreads.submit(() -> runOnce(d, out.resolve("seed-" + seed),
                            settings.withSeed(seed), title() + " (seed " + seed + ")", seed, jobs, seedLog)));
                }
                List<Session> sessions = new ArrayList<>();
                for (java.util.concurrent.Future<Session> f : futures) {
                    sessions.add(Jobs.await(f));
                }
                return sessions;
            } finally {
                seedThreads.shutdownNow();
            }
        }
    }
}
