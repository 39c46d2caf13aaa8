package io.capstan.node.agent.pod;

import static io.capstan.node.agent.pod.PodFixtures.condition;
import static io.capstan.node.agent.pod.PodFixtures.container;
import static io.capstan.node.agent.pod.PodFixtures.phase;
import static io.capstan.node.agent.pod.PodFixtures.pod;
import static io.capstan.node.agent.pod.PodFixtures.status;
import static io.capstan.node.agent.pod.PodFixtures.waitingReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.controllers.testing.Await;
import io.capstan.controllers.testing.Clients;
import io.capstan.node.agent.AgentFixture;
import io.capstan.node.cri.ContainerSpec;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pods bound to the agent's node run on the (fake) runtime and report kubelet's statuses. */
class PodLifecycleIT {
    static AgentFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = AgentFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static Pod create(Pod pod) {
        return f.client.pods().resource(pod).create();
    }

    static Pod get(Pod pod) {
        return f.pod(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    @Test
    void aPodBecomesRunningWithKubeletStatuses() {
        String ns = Clients.namespace(f.client, "run");
        Pod pod = create(pod(ns, "web", "Always",
                new ContainerBuilder(container("app", "sh", "-c", "echo $(GREETING) $(MISSING)"))
                        .addNewEnv().withName("GREETING").withValue("hello-$(POD)").endEnv()
                        .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef("v1", "metadata.name")
                        .endValueFrom().endEnv()
                        .withNewSecurityContext().withRunAsUser(1000L).endSecurityContext().build(),
                container("side", "sleep", "3600")).build());
        String uid = pod.getMetadata().getUid();
        Await.until("the pod runs", () -> "Running".equals(phase(get(pod)))
                && condition(get(pod), "Ready").map(c -> c.getStatus().equals("True")).orElse(false),
                () -> String.valueOf(get(pod).getStatus()));
        Pod p = get(pod);
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "ContainersReady", "PodScheduled")) {
            assertEquals("True", condition(p, type).orElseThrow().getStatus(), type);
        }
        ContainerStatus app = status(p, "app").orElseThrow();
        assertNotNull(app.getState().getRunning().getStartedAt());
        assertTrue(app.getContainerID().startsWith("capstan://"), app.getContainerID());
        assertTrue(app.getImageID().startsWith("sha256:"));
        assertEquals(AgentFixture.IMAGE, app.getImage());
        assertEquals(0, app.getRestartCount());
        assertTrue(app.getReady());
        assertTrue(app.getStarted());
        assertEquals("10.1.2.3", p.getStatus().getHostIP());
        assertEquals("BestEffort", p.getStatus().getQosClass());
        assertNotNull(p.getStatus().getStartTime());

        ContainerSpec spec = f.runtime.started().stream().filter(s -> s.podUid().equals(uid) && s.name().equals("app"))
                .findFirst().orElseThrow();
        assertEquals(List.of("sh", "-c", "echo hello-$(POD) $(MISSING)"), spec.command());
        Map<String, String> env = spec.env().stream().collect(Collectors.toMap(ContainerSpec.EnvVar::name,
                ContainerSpec.EnvVar::value));
        assertEquals("web", env.get("POD"));
        assertEquals(1000L, spec.security().runAsUser());
        assertTrue(spec.security().noNewPrivileges());

        Await.until("kubelet's events", () -> PodFixtures.events(f.client, ns, uid).containsAll(List.of(
                "Pulled: Container image \"busybox:1.36\" already present on machine",
                "Created: Created container: app", "Started: Started container app")),
                () -> PodFixtures.events(f.client, ns, uid).toString());
        // the second container's events come after the first's (one writer, in order)
        java.util.function.Supplier<java.util.Optional<io.fabric8.kubernetes.api.model.Event>> sideStarted = () ->
                f.client.v1().events().inNamespace(ns).list().getItems().stream()
                        .filter(e -> "Started".equals(e.getReason()) && "spec.containers{side}".equals(
                                e.getInvolvedObject().getFieldPath())).findFirst();
        Await.until("the side container's Started event", () -> sideStarted.get().isPresent(),
                () -> PodFixtures.events(f.client, ns, uid).toString());
        var started = sideStarted.get().orElseThrow();
        assertEquals("kubelet", started.getSource().getComponent());
        assertEquals(AgentFixture.NODE, started.getSource().getHost());
        assertEquals("Normal", started.getType());

        String rv = get(pod).getMetadata().getResourceVersion();
        Await.holds("a converged pod is not written again", () -> rv.equals(get(pod).getMetadata().getResourceVersion()),
                Duration.ofMillis(800), () -> String.valueOf(get(pod).getStatus()));
    }

    @Test
    void aCrashingContainerIsRestartedWithBackoffAndShowsCrashLoopBackOff() {
        String ns = Clients.namespace(f.client, "crash");
        f.runtime.exitOnStart("crasher", 1);
        Pod pod = create(pod(ns, "crashy", "Always", container("crasher", "/app")).build());
        String uid = pod.getMetadata().getUid();
        String message = "back-off 10s restarting failed container=crasher pod=crashy_crash(" + uid + ")";
        Await.until("the first restart has failed too and waits 10 s", () -> get(pod) != null
                && message.equals(status(get(pod), "crasher").map(s -> s.getState().getWaiting())
                        .map(w -> w.getMessage()).orElse(null)), () -> String.valueOf(get(pod).getStatus()));
        ContainerStatus s = status(get(pod), "crasher").orElseThrow();
        assertEquals("CrashLoopBackOff", s.getState().getWaiting().getReason());
        assertEquals(1, s.getRestartCount());
        assertEquals(1, s.getLastState().getTerminated().getExitCode());
        assertEquals("Error", s.getLastState().getTerminated().getReason());
        assertEquals("Running", phase(get(pod)));
        assertEquals("False", condition(get(pod), "Ready").orElseThrow().getStatus());
        Await.holds("no restart during the back-off", () -> f.runtime.starts(uid, "crasher") == 2,
                Duration.ofMillis(500), () -> f.runtime.events().toString());

        f.clock.advance(Duration.ofSeconds(10));
        Await.until("restarted after 10 s, then back-off 20 s", () -> status(get(pod), "crasher")
                .map(c -> c.getRestartCount() == 2 && c.getState().getWaiting() != null
                        && c.getState().getWaiting().getMessage().startsWith("back-off 20s")).orElse(false),
                () -> String.valueOf(get(pod).getStatus()));
        assertEquals(3, f.runtime.starts(uid, "crasher"));
        Await.until("a BackOff warning", () -> PodFixtures.events(f.client, ns, uid).contains(
                "BackOff: Back-off restarting failed container crasher in pod crashy_crash(" + uid + ")"),
                () -> PodFixtures.events(f.client, ns, uid).toString());
        // the third start came 10 s after the first: its Started event counts the repeat
        Await.until("the Started event counted twice", () -> f.client.v1().events().inNamespace(ns).list().getItems()
                .stream().anyMatch(e -> "Started".equals(e.getReason()) && uid.equals(e.getInvolvedObject().getUid())
                        && Integer.valueOf(2).equals(e.getCount())),
                () -> PodFixtures.events(f.client, ns, uid).toString());
        f.runtime.clearExitOnStart("crasher");
    }

    @Test
    void restartPoliciesOnFailureAndNever() {
        String ns = Clients.namespace(f.client, "policies");
        f.runtime.exitOnStart("fails", 3);
        Pod ok = create(pod(ns, "ok", "OnFailure", container("done", "true")).build());
        Pod never = create(pod(ns, "never", "Never", container("fails", "/app")).build());
        Pod retry = create(pod(ns, "retry", "OnFailure", container("fails", "/app")).build());
        Await.until("OnFailure with exit 0 succeeds", () -> "Succeeded".equals(phase(get(ok))),
                () -> String.valueOf(get(ok).getStatus()));
        var done = status(get(ok), "done").orElseThrow().getState().getTerminated();
        assertEquals(0, done.getExitCode());
        assertEquals("Completed", done.getReason());
        assertEquals("PodCompleted", condition(get(ok), "Ready").orElseThrow().getReason());
        Await.until("Never with exit 3 fails", () -> "Failed".equals(phase(get(never))),
                () -> String.valueOf(get(never).getStatus()));
        assertEquals(3, status(get(never), "fails").orElseThrow().getState().getTerminated().getExitCode());
        Await.until("OnFailure with exit 3 restarts", () -> status(get(retry), "fails")
                .map(s -> s.getRestartCount() >= 1).orElse(false), () -> String.valueOf(get(retry).getStatus()));
        assertEquals("Running", phase(get(retry)));
        assertEquals(1, f.runtime.starts(never.getMetadata().getUid(), "fails"));
        f.runtime.clearExitOnStart("fails");
    }

    @Test
    void initContainersRunInOrderBeforeTheAppContainers() {
        String ns = Clients.namespace(f.client, "init");
        Pod pod = create(pod(ns, "staged", "Always", container("main", "sleep", "3600"))
                .editSpec().withInitContainers(container("first", "true"), container("second", "sleep", "10"))
                .endSpec().build());
        String uid = pod.getMetadata().getUid();
        Await.until("the second init container runs", () -> status(get(pod), "second")
                .map(s -> s.getState().getRunning() != null).orElse(false), () -> String.valueOf(get(pod).getStatus()));
        Pod p = get(pod);
        assertEquals("Pending", phase(p));
        assertEquals("False", condition(p, "Initialized").orElseThrow().getStatus());
        assertEquals("containers with incomplete status: [second]", condition(p, "Initialized").orElseThrow().getMessage());
        assertEquals("PodInitializing", waitingReason(p, "main"));
        assertEquals("Completed", status(p, "first").orElseThrow().getState().getTerminated().getReason());
        assertEquals(0, f.runtime.starts(uid, "main"));

        f.runtime.exit(uid, "second", 0);
        Await.until("the pod runs", () -> "Running".equals(phase(get(pod))), () -> String.valueOf(get(pod).getStatus()));
        assertEquals("True", condition(get(pod), "Initialized").orElseThrow().getStatus());
        List<String> order = f.runtime.started().stream().filter(s -> s.podUid().equals(uid)).map(ContainerSpec::name)
                .toList();
        assertEquals(List.of("first", "second", "main"), order);
    }

    @Test
    void missingImagesWaitWithKubeletReasons() {
        String ns = Clients.namespace(f.client, "images");
        Pod never = create(pod(ns, "never", "Always", new ContainerBuilder(container("app", "sleep", "1"))
                .withImage("absent:1").withImagePullPolicy("Never").build()).build());
        Await.until("ErrImageNeverPull", () -> "ErrImageNeverPull".equals(waitingReason(get(never), "app")),
                () -> String.valueOf(get(never).getStatus()));
        assertEquals("Container image \"absent:1\" is not present with pull policy of Never",
                status(get(never), "app").orElseThrow().getState().getWaiting().getMessage());
        assertEquals("Pending", phase(get(never)));
        Await.until("the ErrImageNeverPull and Failed events", () -> PodFixtures.events(f.client, ns,
                never.getMetadata().getUid()).containsAll(List.of("ErrImageNeverPull: Container image \"absent:1\" is "
                + "not present with pull policy of Never", "Failed: Error: ErrImageNeverPull")),
                () -> PodFixtures.events(f.client, ns, never.getMetadata().getUid()).toString());

        // Every status written is seen through a watch: ErrImagePull lasts only until the next sync.
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = f.client.pods().inNamespace(ns).withName("pull").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod p) {
                status(p, "app").map(s -> s.getState().getWaiting()).ifPresent(w -> {
                    reasons.add(w.getReason());
                    messages.add(w.getMessage());
                });
            }

            @Override
            public void onClose(WatcherException cause) {}
        })) {
            Pod pull = create(pod(ns, "pull", "Always", new ContainerBuilder(container("app", "sleep", "1"))
                    .withImage("later:2").withImagePullPolicy("IfNotPresent").build()).build());
            Await.until("ErrImagePull then ImagePullBackOff", () -> reasons.contains("ErrImagePull")
                    && reasons.contains("ImagePullBackOff"), reasons::toString);
            assertTrue(reasons.indexOf("ErrImagePull") < reasons.indexOf("ImagePullBackOff"), reasons.toString());
            assertTrue(messages.contains("Back-off pulling image \"later:2\""), messages.toString());
            f.images.add("later:2", 10);
            f.clock.advance(Duration.ofSeconds(10));
            Await.until("the image is found once the back-off ends", () -> "Running".equals(phase(get(pull))),
                    () -> String.valueOf(get(pull).getStatus()));
        }
    }

    @Test
    void configAndRuntimeFailuresBecomeWaitingReasons() {
        String ns = Clients.namespace(f.client, "config");
        f.client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName("cfg")
                .endMetadata().addToData("color", "blue").build()).create();
        Pod bad = create(pod(ns, "bad", "Always", new ContainerBuilder(container("app", "sleep", "1"))
                .addNewEnv().withName("SIZE").withNewValueFrom().withNewConfigMapKeyRef("size", "cfg", null)
                .endValueFrom().endEnv().build()).build());
        Await.until("CreateContainerConfigError", () -> "CreateContainerConfigError".equals(waitingReason(get(bad),
                "app")), () -> String.valueOf(get(bad).getStatus()));
        assertEquals("couldn't find key size in ConfigMap config/cfg",
                status(get(bad), "app").orElseThrow().getState().getWaiting().getMessage());
        f.client.configMaps().inNamespace(ns).withName("cfg").edit(cm -> {
            cm.getData().put("size", "10");
            return cm;
        });
        Await.until("runs once the key exists", () -> "Running".equals(phase(get(bad))),
                () -> String.valueOf(get(bad).getStatus()));

        f.runtime.failRun("/no/such", "exec: \"/no/such\": stat /no/such: no such file or directory");
        Pod broken = create(pod(ns, "broken", "Always", container("app", "/no/such")).build());
        Await.until("RunContainerError", () -> "RunContainerError".equals(waitingReason(get(broken), "app")),
                () -> String.valueOf(get(broken).getStatus()));
        assertTrue(status(get(broken), "app").orElseThrow().getState().getWaiting().getMessage()
                .contains("no such file or directory"));
    }

    @Test
    void anOomKilledContainerShowsOomKilledAndIsRestarted() {
        String ns = Clients.namespace(f.client, "oom");
        Pod pod = create(pod(ns, "hog", "Always", container("hog", "sleep", "3600")).build());
        String uid = pod.getMetadata().getUid();
        Await.until("the pod runs", () -> "Running".equals(phase(get(pod))));
        f.runtime.oomKill(uid, "hog");
        Await.until("restarted, the OOM kill in lastState", () -> status(get(pod), "hog")
                .map(s -> s.getRestartCount() == 1 && s.getState().getRunning() != null
                        && s.getLastState().getTerminated() != null).orElse(false),
                () -> String.valueOf(get(pod).getStatus()));
        var last = status(get(pod), "hog").orElseThrow().getLastState().getTerminated();
        assertEquals("OOMKilled", last.getReason());
        assertEquals(137, last.getExitCode());
    }

    @Test
    void aStatusChangedBySomeoneElseIsPutRight() {
        String ns = Clients.namespace(f.client, "overwrite");
        Pod pod = create(pod(ns, "web", "Always", container("app", "sleep", "3600")).build());
        Await.until("the pod runs", () -> "Running".equals(phase(get(pod))));
        Pod changed = get(pod);
        changed.getStatus().setPhase("Pending");
        f.client.pods().resource(changed).updateStatus();
        Await.until("the agent writes Running again", () -> "Running".equals(phase(get(pod))),
                () -> String.valueOf(get(pod).getStatus()));
    }

    @Test
    void theBackoffStartsOverAfterTenMinutesOfRunning() {
        String ns = Clients.namespace(f.client, "steady");
        f.runtime.exitOnStart("flappy", 1);
        Pod pod = create(pod(ns, "flappy", "Always", container("flappy", "/app")).build());
        String uid = pod.getMetadata().getUid();
        Await.until("in back-off after two exits", () -> "CrashLoopBackOff".equals(waitingReason(get(pod), "flappy")),
                () -> String.valueOf(get(pod).getStatus()));
        f.runtime.clearExitOnStart("flappy");
        f.clock.advance(Duration.ofSeconds(10));
        Await.until("the third attempt runs", () -> status(get(pod), "flappy")
                .map(s -> s.getRestartCount() == 2 && s.getState().getRunning() != null).orElse(false),
                () -> String.valueOf(get(pod).getStatus()));
        f.clock.advance(Duration.ofMinutes(10));
        f.runtime.exit(uid, "flappy", 1);
        Await.until("restarted at once, without back-off", () -> status(get(pod), "flappy")
                .map(s -> s.getRestartCount() == 3 && s.getState().getRunning() != null).orElse(false),
                () -> String.valueOf(get(pod).getStatus()));
    }

    @Test
    void aPodBoundLaterByASchedulerRuns() {
        String ns = Clients.namespace(f.client, "bind");
        Pod pod = create(pod(ns, "late", "Always", container("app", "sleep", "3600")).editSpec().withNodeName(null)
                .endSpec().build());
        // As the scheduler binds: POST pods/late/binding.
        var binding = new io.fabric8.kubernetes.api.model.BindingBuilder()
                .withNewMetadata().withName("late").withNamespace(ns).endMetadata()
                .withNewTarget().withKind("Node").withName(AgentFixture.NODE).endTarget().build();
        var http = f.client.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(f.server.url() + "/api/v1/namespaces/" + ns + "/pods/late/binding")
                .post("application/json", f.client.getKubernetesSerialization().asJson(binding)).build();
        assertEquals(201, http.sendAsync(request, String.class).join().code());
        Await.until("the bound pod runs", () -> "Running".equals(phase(get(pod))),
                () -> String.valueOf(get(pod).getStatus()));
    }

    @Test
    void sidecarsRunBesideTheAppAndStopWhenItIsDone() {
        String ns = Clients.namespace(f.client, "sidecar");
        Pod pod = create(pod(ns, "job", "Never", container("work", "sleep", "3600"))
                .editSpec().withInitContainers(
                        new ContainerBuilder(container("proxy", "sleep", "3600")).withRestartPolicy("Always").build(),
                        container("setup", "true"))
                .endSpec().build());
        String uid = pod.getMetadata().getUid();
        Await.until("the app runs beside the sidecar", () -> "Running".equals(phase(get(pod)))
                && condition(get(pod), "Ready").map(c -> c.getStatus().equals("True")).orElse(false),
                () -> String.valueOf(get(pod).getStatus()));
        assertEquals(List.of("proxy", "setup", "work"), f.runtime.started().stream()
                .filter(s -> s.podUid().equals(uid)).map(ContainerSpec::name).toList());
        ContainerStatus proxy = status(get(pod), "proxy").orElseThrow();
        assertNotNull(proxy.getState().getRunning());
        assertTrue(proxy.getReady());
        assertEquals("True", condition(get(pod), "Initialized").orElseThrow().getStatus());

        // A sidecar that exits is restarted although the pod's policy is Never.
        f.runtime.exit(uid, "proxy", 1);
        Await.until("the sidecar is restarted", () -> status(get(pod), "proxy")
                .map(s -> s.getRestartCount() == 1 && s.getState().getRunning() != null).orElse(false),
                () -> String.valueOf(get(pod).getStatus()));

        f.runtime.exit(uid, "work", 0);
        Await.until("the sidecar is stopped and the pod succeeds", () -> "Succeeded".equals(phase(get(pod))),
                () -> String.valueOf(get(pod).getStatus()));
        assertTrue(f.runtime.events().contains("stop proxy 30s"), f.runtime.events().toString());
        assertEquals("PodCompleted", condition(get(pod), "Ready").orElseThrow().getReason());
    }

    @Test
    void aHostNetworkPodHasTheHostIpAsPodIp() {
        String ns = Clients.namespace(f.client, "hostnet");
        Pod pod = create(pod(ns, "agent", "Always", new ContainerBuilder(container("app", "sleep", "3600"))
                .addNewEnv().withName("MY_IP").withNewValueFrom().withNewFieldRef("v1", "status.podIP")
                .endValueFrom().endEnv().build()).editSpec().withHostNetwork(true).endSpec().build());
        Await.until("the pod runs", () -> "Running".equals(phase(get(pod))));
        assertEquals("10.1.2.3", get(pod).getStatus().getPodIP());
        assertEquals("10.1.2.3", get(pod).getStatus().getPodIPs().get(0).getIp());
        ContainerSpec spec = f.runtime.started().stream()
                .filter(s -> s.podUid().equals(pod.getMetadata().getUid())).findFirst().orElseThrow();
        assertTrue(spec.env().contains(new ContainerSpec.EnvVar("MY_IP", "10.1.2.3")), spec.env().toString());
    }

    @Test
    void postStartHooksRunAfterTheStartAndAFailingOneRestartsTheContainer() {
        String ns = Clients.namespace(f.client, "poststart");
        Pod good = create(pod(ns, "good", "Always", new ContainerBuilder(container("hooked", "sleep", "3600"))
                .withNewLifecycle().withNewPostStart().withNewExec().withCommand("echo", "warm").endExec()
                .endPostStart().endLifecycle().build()).build());
        Await.until("the pod runs", () -> "Running".equals(phase(get(good))));
        List<String> events = f.runtime.events();
        assertTrue(events.indexOf("start hooked 0") < events.indexOf("exec hooked echo warm"), events.toString());

        Pod bad = create(pod(ns, "bad", "Always", new ContainerBuilder(container("failing-hook", "sleep", "3600"))
                .withNewLifecycle().withNewPostStart().withNewExec().withCommand("false").endExec()
                .endPostStart().endLifecycle().build()).build());
        String uid = bad.getMetadata().getUid();
        Await.until("the container is restarted and backs off", () -> "CrashLoopBackOff".equals(
                waitingReason(get(bad), "failing-hook")), () -> String.valueOf(get(bad).getStatus()));
        assertTrue(f.runtime.starts(uid, "failing-hook") >= 2);
        Await.until("a FailedPostStartHook event", () -> PodFixtures.events(f.client, ns, uid)
                .contains("FailedPostStartHook: PostStartHook failed"), () -> PodFixtures.events(f.client, ns, uid)
                .toString());
    }
}
