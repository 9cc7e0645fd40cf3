package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The command line explains itself: --help everywhere, a help command, the exit codes, a bug as one line. */
class CommandLineHelpTest {

    private record Ran(int code, String out, String err) {}

    private static Ran run(CommandLine line, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Ran(code, out.toString(), err.toString());
    }

    @Test
    void everySubcommandAnswersHelpWithItsExitCodes() {
        CommandLine root = TestbedCommand.commandLine();
        assertThat(root.getSubcommands()).containsKeys("run", "ablate", "flows", "help", "list", "serve");
        for (String name : root.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Ran ran = run(TestbedCommand.commandLine(), name, "--help");
            assertThat(ran.code()).as(name + " --help").isZero();
            assertThat(ran.out())
                    .as(name + " --help")
                    .contains("Usage: testbed " + name)
                    .contains("Exit codes:")
                    .containsPattern("(?m)^\\s+2\\s+bad input")
                    .containsPattern("(?m)^\\s+4\\s+internal error");
        }
    }

    @Test
    void theHelpCommandShowsASubcommandsUsage() {
        Ran ran = run(TestbedCommand.commandLine(), "help", "ablate");
        assertThat(ran.code()).isZero();
        assertThat(ran.out()).contains("Usage: testbed ablate").contains("--only");
    }

    @Test
    void aBugInACommandIsOneLineAndExitCodeFour() {
        CommandLine root = TestbedCommand.commandLine();
        Callable<Integer> broken = () -> {
            throw new IllegalStateException("a state the testbed never expected");
        };
        root.addSubcommand("broken", CommandSpec.wrapWithoutInspection(broken));

        Ran ran = run(root, "broken");

        assertThat(ran.code()).isEqualTo(TestbedCommand.INTERNAL_ERROR);
        assertThat(ran.err().strip().lines()).hasSize(1);
        assertThat(ran.err()).contains("internal error (IllegalStateException): a state the testbed never expected");
    }

    @Test
    void anUnknownOptionIsBadInputNotABug() {
        Ran ran = run(TestbedCommand.commandLine(), "run", "dot", "--no-such-option");
        assertThat(ran.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(ran.err()).contains("Unknown option: '--no-such-option'");
    }
}
