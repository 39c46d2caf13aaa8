package io.capstan.node.runtime;

import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.testing.ContainerStreamsContract;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The agent's runtime contract against the native runtime, with real busybox containers (root
 * only). Each test gets its own data directory and cgroup root.
 */
@Tag("privileged")
class NativeContainerRuntimeContractIT extends ContainerStreamsContract {
    private RuntimeFixture fixture;

    @BeforeEach
    void openRuntime() throws Exception {
        fixture = new RuntimeFixture();
    }

    @AfterEach
    void closeRuntime() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected ContainerRuntime runtime() {
        return fixture.runtime;
    }

    @Override
    protected String image() {
        return RuntimeFixture.IMAGE;
    }

    /** A shell as PID 1 must trap SIGTERM to exit on it (the kernel drops unhandled signals to an init). */
    @Override
    protected List<String> runForever() {
        return List.of("sh", "-c", "trap 'exit 143' TERM; while :; do sleep 0.05; done");
    }
}
