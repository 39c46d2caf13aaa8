package io.capstan.node.agent.probe;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ExecResult;
import io.capstan.node.cri.RuntimeFailure;
import io.fabric8.kubernetes.api.model.ExecAction;
import java.time.Duration;
import java.util.List;

/**
 * An exec probe: the command runs in the container (the runtime's exec, within timeoutSeconds);
 * exit 0 is success, another code a failure with the command's output (at most 10 KiB, as
 * kubelet keeps), a timeout a failure saying so. A container that cannot be exec'd into errors.
 */
final class ExecProbe {
    static final int MAX_OUTPUT = 10 * 1024;

    private final ContainerRuntime runtime;

    ExecProbe(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    Outcome probe(ExecAction action, String containerId, Duration timeout) {
        List<String> command = action.getCommand() == null ? List.of() : action.getCommand();
        ExecResult r;
        try {
            r = runtime.exec(containerId, command, timeout);
        } catch (RuntimeFailure f) {
            return Outcome.error(f.getMessage());
        }
        String output = r.output() == null ? "" : r.output();
        if (output.length() > MAX_OUTPUT) {
            output = output.substring(0, MAX_OUTPUT);
        }
        if (r.timedOut()) {
            return Outcome.failure("command timed out: \"" + String.join(" ", command) + "\" timed out after "
                    + timeout.toSeconds() + "s");
        }
        return r.exitCode() == 0 ? Outcome.success(output) : Outcome.failure(output);
    }
}
