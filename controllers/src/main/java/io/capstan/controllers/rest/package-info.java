/**
 * Raw requests to the API server for the hottest writes of capstan's own processes (the
 * scheduler's bindings, simulated kubelets' pod statuses): a JSON body out, a status code back,
 * no model objects decoded from the response. {@link io.capstan.controllers.rest.RawApis#of} sends
 * them straight over the JDK HTTP client when the kubeconfig is one it can reproduce, else through
 * the Fabric8 client's own HTTP client.
 */
package io.capstan.controllers.rest;
