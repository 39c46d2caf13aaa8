package io.capstan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.apiserver.testing.EtcdProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged binary on a real etcd, with real processes killed: two {@code capstan apiserver}
 * processes share one etcd and one of them is SIGKILLed while clients write through both (every
 * write that was acknowledged is there, read through the survivor); and etcd itself is stopped and
 * started again under a running {@code kubectl get -w} and a Fabric8 informer (both keep going and
 * see every object, nothing lost), with kubectl getting a clear error while etcd is away.
 */
class EtcdFailoverE2E {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  @Test
  void sigkillOfOneApiServerLosesNoAcknowledgedWrite() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      int portA = CapstanServer.freePort();
      int portB = CapstanServer.freePort();
      try (CapstanProcess a = apiserver(etcd, portA); CapstanProcess b = apiserver(etcd, portB)) {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          int port = w % 2 == 0 ? portA : portB;
          String prefix = "w" + w + "-";
          running.add(writers.submit(() -> write(port, prefix, acknowledged, stop)));
        }
        awaitCount(acknowledged, 200);
        a.kill(); // SIGKILL: in-flight requests to A are cut; acknowledged ones must all be in etcd
        int atKill = acknowledged.size();
        awaitCount(acknowledged, atKill + 100); // B keeps acknowledging
        stop.set(true);
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
        writers.shutdown();

        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portB
            + "/api/v1/namespaces/default/configmaps")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode(), list.body());
        Set<String> stored = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\":\"(w\\d-\\d+)\"").matcher(list.body());
        while (m.find()) {
          stored.add(m.group(1));
        }
        Set<String> lost = new TreeSet<>(acknowledged);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, "acknowledged writes missing after the SIGKILL of one API server");
        assertTrue(acknowledged.stream().anyMatch(n -> n.startsWith("w0-")), "writes through the killed server");
      }
    }
  }

  @Test
  void kubectlWatchAndInformerKeepGoingThroughAnEtcdRestart() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start()) {
      int port = CapstanServer.freePort();
      Path kubeconfig = dir.resolve("kubeconfig");
      writeKubeconfig(kubeconfig, "http://127.0.0.1:" + port);
      try (CapstanProcess api = apiserver(etcd, port)) {
        Kubectl kubectl = new Kubectl(kubeconfig);
        Path watchOut = dir.resolve("watch.out");
        Process watch = kubectl.start(watchOut, "get", "configmaps", "-w", "-o", "name");
        Set<String> informed = ConcurrentHashMap.newKeySet();
        Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).withNamespace("default")
            .withRequestTimeout(10_000).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
          SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("default").inform(
              new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap cm) {
                  informed.add(cm.getMetadata().getName());
                }

                @Override
                public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                  informed.add(newObj.getMetadata().getName());
                }

                @Override
                public void onDelete(ConfigMap cm, boolean unknown) {
                  informed.remove(cm.getMetadata().getName());
                }
              });
          try {
            for (int i = 1; i <= 3; i++) {
              kubectl.run("create", "configmap", "before-" + i, "--from-literal=k=v").ok();
            }
            awaitNames(informed, "before-3");

            etcd.stop();
            Kubectl.Result down = kubectl.run("get", "configmaps");
            assertNotEquals(0, down.code(), "kubectl get while etcd is down: " + down.out());
            assertTrue(down.err().contains("etcd") || down.err().contains("unavailable")
                || down.err().contains("timed out") || down.err().contains("Timeout"), down.err());
            etcd.startProcess();

            Kubectl.Result created = null;
            for (int i = 0; i < 120 && (created == null || created.code() != 0); i++) {
              created = kubectl.run("create", "configmap", "after-1", "--from-literal=k=v");
              if (created.code() != 0) {
                Thread.sleep(500);
              }
            }
            assertEquals(0, created.code(), created.err());
            for (int i = 2; i <= 3; i++) {
              kubectl.run("create", "configmap", "after-" + i, "--from-literal=k=v").ok();
            }
            awaitNames(informed, "before-1", "before-2", "before-3", "after-1", "after-2", "after-3");
            for (int i = 0; i < 300 && !Files.readString(watchOut).contains("configmap/after-3"); i++) {
              Thread.sleep(100);
            }
            String seen = Files.readString(watchOut);
            for (String n : List.of("before-1", "before-2", "before-3", "after-1", "after-2", "after-3")) {
              assertTrue(seen.contains("configmap/" + n + "\n"), n + " missing from kubectl get -w:\n" + seen);
            }
            assertTrue(watch.isAlive(), "kubectl get -w ended during the etcd restart:\n" + seen);
          } finally {
            informer.close();
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
          }
        }
      }
    }
  }

  private static CapstanProcess apiserver(EtcdProcess etcd, int port) throws Exception {
    CapstanProcess p = CapstanProcess.start("apiserver", "--storage", etcd.storageUrl(), "--listen", "127.0.0.1:" + port);
    p.awaitLine(l -> l.startsWith("capstan apiserver listening on"), Duration.ofSeconds(60));
    return p;
  }

  /** POSTs ConfigMaps until told to stop; records each name the server answered 201 for. */
  private static Void write(int port, String prefix, Set<String> acknowledged, AtomicBoolean stop) {
    for (int i = 0; !stop.get(); i++) {
      String name = prefix + i;
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/api/v1/namespaces/default/configmaps")).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                + "{\"name\":\"" + name + "\"},\"data\":{\"i\":\"" + i + "\"}}")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
          acknowledged.add(name);
        }
      } catch (IOException e) {
        // the killed server: no answer, so not acknowledged; keep the thread's pace low
        sleepQuietly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitCount(Set<String> names, int count) throws InterruptedException {
    for (int i = 0; i < 1200 && names.size() < count; i++) {
      Thread.sleep(50);
    }
    assertTrue(names.size() >= count, "only " + names.size() + " acknowledged writes, waited for " + count);
  }

  private static void awaitNames(Set<String> names, String... wanted) throws InterruptedException {
    for (int i = 0; i < 600 && !names.containsAll(List.of(wanted)); i++) {
      Thread.sleep(100);
    }
    assertTrue(names.containsAll(List.of(wanted)), "informer has " + new TreeSet<>(names) + ", wanted " + List.of(wanted));
  }

  private static void writeKubeconfig(Path file, String server) throws IOException {
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: capstan
          cluster:
            server: %s
        contexts:
        - name: capstan
          context:
            cluster: capstan
            namespace: default
        current-context: capstan
        """.formatted(server));
  }
}
